using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Serverless.Cli.Infrastructure;

/// <summary>
/// The platform's HTTP API (pipelines, runs, logs, schedules, sweeps) as JSON documents. Every failure
/// becomes a <see cref="CliException"/> with one line naming what went wrong: the server's error code and
/// message, or why the server could not be reached.
/// </summary>
internal sealed class PlatformClient : IDisposable
{
    private readonly HttpClient _http;

    /// <summary>Creates a client for <paramref name="settings"/>.</summary>
    public PlatformClient(ServerSettings settings, HttpClient? http = null)
    {
        Settings = settings;
        _http = http ?? settings.CreateHttpClient();
    }

    /// <summary>Where requests go.</summary>
    public ServerSettings Settings { get; }

    /// <summary>GETs a JSON document.</summary>
    public Task<JsonNode> GetAsync(string path, CancellationToken ct) => SendAsync(HttpMethod.Get, path, null, ct);

    /// <summary>POSTs <paramref name="body"/> (or nothing) and returns the JSON answer (an empty object when there is none).</summary>
    public Task<JsonNode> PostAsync(string path, JsonNode? body, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, path, body is null ? null : JsonContent(body), ct);

    /// <summary>DELETEs a resource.</summary>
    public Task<JsonNode> DeleteAsync(string path, CancellationToken ct) => SendAsync(HttpMethod.Delete, path, null, ct);

    /// <summary>PUTs raw bytes with <paramref name="contentType"/>.</summary>
    public Task<JsonNode> PutBytesAsync(string path, byte[] content, string contentType, CancellationToken ct)
    {
        var body = new ByteArrayContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return SendAsync(HttpMethod.Put, path, body, ct);
    }

    /// <summary>
    /// Sends a GET whose body the caller streams (logs). The response is successful; the caller disposes it.
    /// </summary>
    public async Task<HttpResponseMessage> GetStreamingAsync(string path, CancellationToken ct)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Settings.BaseAddress, path));
        var response = await SendRawAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                var bytes = await response.Content.ReadAsByteArrayAsync(ct);
                throw ToError(HttpMethod.Get, path, response.StatusCode, bytes);
            }
        }

        return response;
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    /// <summary>Escapes one path segment (names, ids, step keys such as <c>train[2]</c>).</summary>
    public static string Segment(string value) => Uri.EscapeDataString(value);

    /// <summary>Builds a query string from the pairs whose value is not null.</summary>
    public static string Query(params (string Key, string? Value)[] pairs)
    {
        var parts = pairs.Where(p => p.Value is not null).Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value!)}").ToList();
        return parts.Count == 0 ? string.Empty : "?" + string.Join('&', parts);
    }

    /// <summary>Turns a failed response into the one-line error the user sees.</summary>
    internal static CliException ToError(HttpMethod method, string path, HttpStatusCode status, byte[] body)
    {
        var route = path.Split('?')[0];
        try
        {
            if (body.Length > 0 && JsonNode.Parse(body) is JsonObject root && root["error"] is JsonObject error)
            {
                var code = error["code"]?.GetValue<string>() ?? $"HTTP_{(int)status}";
                var message = error["message"]?.GetValue<string>() ?? "(no message)";
                return new CliException($"{code}: {message}", ExitCodes.Error, Details(error["details"]));
            }
        }
        catch (JsonException)
        {
            // Not the platform's error shape (a proxy page, an old server): report the raw text below.
        }
        catch (InvalidOperationException)
        {
            // code/message of an unexpected JSON type: same as above.
        }

        if (status == HttpStatusCode.NotFound && body.Length == 0)
        {
            return new CliException($"the server has no endpoint {method} {route} (HTTP 404): is it an smlops host with this API?");
        }

        if (status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            return new CliException(
                $"{method} {route} was refused (HTTP {(int)status}): set {ServerSettings.TokenVariable} or {ServerSettings.FunctionKeyVariable}");
        }

        var text = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 300)).ReplaceLineEndings(" ").Trim();
        return new CliException($"{method} {route} failed with HTTP {(int)status}{(text.Length > 0 ? ": " + text : string.Empty)}");
    }

    /// <summary>The one-line error for a server that could not be reached.</summary>
    internal static CliException Unreachable(Uri server, Exception e)
    {
        var reason = e switch
        {
            HttpRequestException { InnerException: SocketException socket } => socket.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => "connection refused",
                SocketError.HostNotFound or SocketError.NoData => "unknown host",
                SocketError.TimedOut => "connection timed out",
                _ => socket.Message,
            },
            HttpRequestException http => http.Message,
            _ => e.Message,
        };
        return new CliException(
            $"cannot reach the server at {server.AbsoluteUri.TrimEnd('/')}: {reason} (set --server or {ServerSettings.ServerVariable})");
    }

    private static StringContent JsonContent(JsonNode body) =>
        new(body.ToJsonString(), Encoding.UTF8, "application/json");

    private static List<string> Details(JsonNode? details)
    {
        var lines = new List<string>();
        if (details is not JsonArray array)
        {
            return lines;
        }

        foreach (var item in array)
        {
            if (item is JsonObject d && d["message"] is JsonValue message)
            {
                var file = d["file"]?.ToString();
                lines.Add(file is null ? message.ToString() : $"{file}:{d["line"]}:{d["column"]}: {message}");
            }
            else if (item is not null)
            {
                lines.Add(item is JsonValue v ? v.ToString() : item.ToJsonString());
            }
        }

        return lines;
    }

    private async Task<JsonNode> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, new Uri(Settings.BaseAddress, path)) { Content = content };
        using var response = await SendRawAsync(request, HttpCompletionOption.ResponseContentRead, ct);
        var bytes = await response.Content.ReadAsByteArrayAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            throw ToError(method, path, response.StatusCode, bytes);
        }

        if (bytes.Length == 0)
        {
            return new JsonObject();
        }

        try
        {
            return JsonNode.Parse(bytes) ?? new JsonObject();
        }
        catch (JsonException e)
        {
            throw new CliException($"{method} {path.Split('?')[0]} answered with something that is not JSON ({e.Message})");
        }
    }

    private async Task<HttpResponseMessage> SendRawAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken ct)
    {
        try
        {
            return await _http.SendAsync(request, completion, ct);
        }
        catch (HttpRequestException e)
        {
            throw Unreachable(Settings.BaseAddress, e);
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new CliException(
                $"the server at {Settings.BaseAddress.AbsoluteUri.TrimEnd('/')} did not answer {request.Method} {request.RequestUri?.AbsolutePath} within {_http.Timeout.TotalSeconds:0} s");
        }
    }
}
