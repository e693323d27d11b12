using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serverless.Tracking.Client;

namespace Serverless.Tracking.Mlflow;

/// <summary>
/// Binds MLflow requests (JSON bodies, or query parameters for GET) and writes MLflow responses and
/// errors. Every failure becomes <c>{"error_code", "message"}</c>; nothing leaks a stack trace.
/// </summary>
internal static class MlflowHttp
{
    // Control-plane bodies are small; 20 MB leaves room for a 1,000-metric batch with long keys.
    private const int MaxBodyBytes = 20 * 1024 * 1024;
    private static readonly HashSet<string> s_arrayFields = new(StringComparer.Ordinal) { "experiment_ids", "order_by", "stages", "run_ids" };

    public static RequestDelegate Handle<T>(Func<T, HttpContext, Task<object>> handler) => async context =>
    {
        try
        {
            await context.RequestServices.GetRequiredService<TrackingInitializer>().EnsureAsync(context.RequestAborted);
            var request = await ReadAsync<T>(context);
            var result = await handler(request, context);
            await WriteJsonAsync(context, StatusCodes.Status200OK, result);
        }
        catch (Exception e)
        {
            await WriteErrorAsync(context, e);
        }
    };

    public static async Task WriteErrorAsync(HttpContext context, Exception exception)
    {
        var (status, code, message) = exception switch
        {
            TrackingException e => ((int)e.StatusCode, e.ErrorCode, e.Message),
            JsonException e => (400, MlflowErrorCodes.InvalidParameterValue, DescribeJsonError(e)),
            BadHttpRequestException e => (e.StatusCode, MlflowErrorCodes.InvalidParameterValue, e.Message),
            OperationCanceledException when context.RequestAborted.IsCancellationRequested => (499, MlflowErrorCodes.InternalError, "request aborted"),
            _ => (500, MlflowErrorCodes.InternalError, $"Internal error (trace id {context.TraceIdentifier}); see the server log."),
        };
        if (status == 500)
        {
            context.RequestServices.GetService<ILoggerFactory>()?.CreateLogger("Serverless.Tracking.Mlflow")
                .LogError(exception, "MLflow request {Method} {Path} failed", context.Request.Method, context.Request.Path);
        }

        if (context.Response.HasStarted || context.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        await WriteJsonAsync(context, status, new { ErrorCode = code, Message = message });
    }

    public static async Task WriteJsonAsync(HttpContext context, int status, object body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, body, body.GetType(), MlflowJson.Options, context.RequestAborted);
    }

    public static async Task<T> ReadAsync<T>(HttpContext context)
    {
        if (HttpMethods.IsGet(context.Request.Method))
        {
            return FromQuery(context.Request.Query).Deserialize<T>(MlflowJson.Options)
                ?? throw TrackingException.Invalid("The request could not be read.");
        }

        var body = await ReadBodyAsync(context.Request.Body, context.RequestAborted);
        if (IsBlank(body.Span))
        {
            // Some clients send no body for field-less calls; treat it as an empty message.
            body = "{}"u8.ToArray();
        }

        var json = MlflowJson.QuoteNonFiniteLiterals(body);
        return JsonSerializer.Deserialize<T>(json.Span, MlflowJson.Options)
            ?? throw TrackingException.Invalid("The request body must be a JSON object, not null.");
    }

    /// <summary>GET requests carry the message's fields as query parameters; arrays as repeated keys, <c>k[0]</c> or <c>k[]</c>.</summary>
    public static JsonObject FromQuery(IQueryCollection query)
    {
        var result = new JsonObject();
        foreach (var (rawKey, values) in query)
        {
            var bracket = rawKey.IndexOf('[', StringComparison.Ordinal);
            var key = bracket > 0 ? rawKey[..bracket] : rawKey;
            if (s_arrayFields.Contains(key))
            {
                if (result[key] is not JsonArray array)
                {
                    result[key] = array = [];
                }

                foreach (var value in values)
                {
                    array.Add(value);
                }
            }
            else if (values.Count > 0)
            {
                result[key] = values[^1];
            }
        }

        return result;
    }

    private static string DescribeJsonError(JsonException e)
    {
        var where = e.Path is { Length: > 0 } path ? $" at '{path}'" : "";
        var line = e.LineNumber is { } l ? $" (line {l + 1}, position {e.BytePositionInLine + 1})" : "";
        var what = e.Message.Contains("missing required properties", StringComparison.Ordinal)
            ? e.Message[..(e.Message.IndexOf(". Path", StringComparison.Ordinal) is var cut and > 0 ? cut : e.Message.Length)]
            : "a value has the wrong type or the JSON is malformed";
        return $"Invalid request body{where}{line}: {what.TrimEnd('.')}.";
    }

    private static bool IsBlank(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                return false;
            }
        }

        return true;
    }

    private static async Task<ReadOnlyMemory<byte>> ReadBodyAsync(Stream body, CancellationToken ct)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        while (true)
        {
            var memory = buffer.GetMemory(16 * 1024);
            var read = await body.ReadAsync(memory, ct);
            if (read == 0)
            {
                return buffer.WrittenMemory;
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > MaxBodyBytes)
            {
                throw TrackingException.Invalid($"The request body is larger than {MaxBodyBytes / (1024 * 1024)} MB.");
            }
        }
    }
}
