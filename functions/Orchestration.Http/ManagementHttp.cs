using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Azure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Serverless.Orchestration.Http;

/// <summary>
/// Runs a management handler and turns every failure into the JSON error body
/// <c>{"error": "...", "code": "..."}</c> with the right status; nothing leaks a stack trace.
/// </summary>
internal static class ManagementHttp
{
    // Relaxed escaping keeps quotes and non-ASCII readable in error messages; bodies are served as
    // application/json, never embedded in HTML, so HTML-sensitive characters need no escaping.
    private static readonly JsonWriterOptions s_writerOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static RequestDelegate Handle(Func<HttpContext, OrchestrationClient, Task> handler) => async context =>
    {
        try
        {
            CheckTaskHub(context);
            await handler(context, ResolveClient(context));
        }
        catch (Exception e)
        {
            await WriteErrorAsync(context, e);
        }
    };

    public static async Task WriteJsonAsync(HttpContext context, int status, Action<Utf8JsonWriter> write)
    {
        // Built in memory first: serializers flush synchronously, which Kestrel forbids on the response
        // stream, and a failure while writing must still be able to become a clean error response.
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, s_writerOptions))
        {
            write(writer);
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.ContentLength = buffer.WrittenCount;
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
    }

    public static Task WriteErrorAsync(HttpContext context, int status, string code, string message) =>
        WriteJsonAsync(context, status, w =>
        {
            w.WriteStartObject();
            w.WriteString("error", message);
            w.WriteString("code", code);
            w.WriteEndObject();
        });

    public static async Task WriteErrorAsync(HttpContext context, Exception exception)
    {
        var (status, code, message) = exception switch
        {
            ManagementApiException e => (e.StatusCode, e.Code, e.Message),
            InstanceNotFoundException e => (404, ManagementErrorCodes.InstanceNotFound, e.Message),
            InstanceAlreadyExistsException e => (409, ManagementErrorCodes.InstanceAlreadyExists,
                $"{e.Message} Wait for it to finish, terminate it, or start under another id."),
            InstanceStateException e when e.Status.IsTerminal() => (410, ManagementErrorCodes.InstanceFinished, e.Message),
            InstanceStateException e => (409, ManagementErrorCodes.InvalidInstanceState, e.Message),
            BadHttpRequestException e => (e.StatusCode, ManagementErrorCodes.InvalidParameter, e.Message),
            RequestFailedException e => (503, ManagementErrorCodes.StorageUnavailable,
                $"Azure Storage answered {e.Status} ({e.ErrorCode ?? "no error code"}); retry later (trace id {context.TraceIdentifier})."),
            OperationCanceledException when context.RequestAborted.IsCancellationRequested => (499, ManagementErrorCodes.InternalError, "The request was aborted."),
            _ => (500, ManagementErrorCodes.InternalError, $"Internal error (trace id {context.TraceIdentifier}); see the server log."),
        };
        if (status >= 500)
        {
            context.RequestServices.GetService<ILoggerFactory>()?.CreateLogger("Serverless.Orchestration.Http")
                .LogError(exception, "Durable management request {Method} {Path} failed", context.Request.Method, context.Request.Path);
        }

        if (context.Response.HasStarted || context.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        await WriteErrorAsync(context, status, code, message);
    }

    private static OrchestrationClient ResolveClient(HttpContext context) =>
        context.RequestServices.GetService<OrchestrationClient>()
        ?? context.RequestServices.GetService<DurableEngine>()?.Client
        ?? throw new ManagementApiException(500, ManagementErrorCodes.EngineNotConfigured,
            "The durable management API is mapped but no DurableEngine or OrchestrationClient is registered in the host's services.");

    /// <summary>
    /// Durable Functions routes <c>taskHub</c> to another hub; this host serves one, so a request for a
    /// different hub is refused rather than silently answered from the wrong one.
    /// </summary>
    private static void CheckTaskHub(HttpContext context)
    {
        if (ManagementRequest.Text(context.Request, "taskHub") is { } hub &&
            context.RequestServices.GetService<DurableEngine>() is { } engine &&
            !string.Equals(hub, engine.Options.TaskHubName, StringComparison.OrdinalIgnoreCase))
        {
            throw ManagementApiException.BadParameter("taskHub", $"this host serves task hub '{engine.Options.TaskHubName}', not '{hub}'.");
        }
    }
}
