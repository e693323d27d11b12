using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Serverless.Tracking.Client;

/// <summary>
/// A small client for the MLflow REST API (tracking, artifact proxy, registry) over
/// <see cref="HttpClient"/>. Works against this platform's host and against a real MLflow server.
/// Thread-safe.
/// </summary>
public sealed partial class MlflowClient : IDisposable
{
    private const int MaxAttempts = 4;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly ConcurrentDictionary<string, string> _artifactRoots = new(StringComparer.Ordinal);

    /// <summary>Creates a client for the server at <paramref name="trackingUri"/>.</summary>
    /// <param name="trackingUri">Base URI, e.g. <c>http://127.0.0.1:7071</c>.</param>
    /// <param name="httpClient">An HTTP client to use; the client creates (and disposes) its own when null.</param>
    public MlflowClient(Uri trackingUri, HttpClient? httpClient = null)
    {
        ArgumentNullException.ThrowIfNull(trackingUri);
        if (!trackingUri.IsAbsoluteUri || (trackingUri.Scheme != Uri.UriSchemeHttp && trackingUri.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"tracking URI must be an absolute http(s) URI, got '{trackingUri}'", nameof(trackingUri));
        }

        TrackingUri = new Uri(trackingUri.AbsoluteUri.TrimEnd('/') + "/");
        _ownsHttp = httpClient is null;
        _http = httpClient ?? new HttpClient { Timeout = TimeSpan.FromSeconds(120) };
    }

    /// <summary>The server's base URI, always ending in a slash.</summary>
    public Uri TrackingUri { get; }

    /// <summary>Creates a client from <c>MLFLOW_TRACKING_URI</c>.</summary>
    /// <exception cref="InvalidOperationException">The variable is unset or not an http(s) URI.</exception>
    public static MlflowClient FromEnvironment(HttpClient? httpClient = null) =>
        new(MlflowEnvironment.TrackingUri ?? throw new InvalidOperationException(
            $"{MlflowEnvironment.TrackingUriVariable} is not set to an http(s) URI"), httpClient);

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    /// <summary>Milliseconds since the Unix epoch, the unit of every MLflow timestamp.</summary>
    public static long NowMilliseconds() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private Task<T> PostAsync<T>(string path, object body, CancellationToken ct) =>
        SendAsync<T>(HttpMethod.Post, path, body, ct);

    private async Task PostAsync(string path, object body, CancellationToken ct) =>
        await SendAsync<EmptyResponse>(HttpMethod.Post, path, body, ct);

    private Task<T> GetAsync<T>(string path, IEnumerable<(string Key, string? Value)> query, CancellationToken ct)
    {
        var builder = new StringBuilder(path);
        var first = true;
        foreach (var (key, value) in query)
        {
            if (value is null)
            {
                continue;
            }

            builder.Append(first ? '?' : '&').Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value));
            first = false;
        }

        return SendAsync<T>(HttpMethod.Get, builder.ToString(), null, ct);
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string relative, object? body, CancellationToken ct)
    {
        var payload = body is null ? null : JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), MlflowJson.Options);
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, new Uri(TrackingUri, relative));
            if (payload is not null)
            {
                request.Content = new ByteArrayContent(payload);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            }

            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, ct);
            }
            catch (HttpRequestException) when (attempt < MaxAttempts)
            {
                await Task.Delay(Backoff(attempt), ct);
                continue;
            }

            using (response)
            {
                if (IsTransient(response.StatusCode) && attempt < MaxAttempts)
                {
                    await Task.Delay(Backoff(attempt), ct);
                    continue;
                }

                var bytes = await response.Content.ReadAsByteArrayAsync(ct);
                if (!response.IsSuccessStatusCode)
                {
                    throw ToException(response.StatusCode, bytes);
                }

                var json = MlflowJson.QuoteNonFiniteLiterals(bytes);
                return JsonSerializer.Deserialize<T>(json.Span, MlflowJson.Options)
                    ?? throw new MlflowException(MlflowErrorCodes.InternalError, $"empty response from {method} {relative}", response.StatusCode);
            }
        }
    }

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway
            or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    private static TimeSpan Backoff(int attempt) => TimeSpan.FromMilliseconds(200 * (1 << (attempt - 1)));

    private static MlflowException ToException(HttpStatusCode status, byte[] body)
    {
        try
        {
            var error = JsonSerializer.Deserialize<ErrorResponse>(body, MlflowJson.Options);
            if (error?.ErrorCode is { Length: > 0 } code)
            {
                return new MlflowException(code, error.Message ?? "", status);
            }
        }
        catch (JsonException)
        {
            // Not an MLflow error body (e.g. a proxy's HTML page); fall through to the raw text.
        }

        var text = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 500));
        var code404 = status == HttpStatusCode.NotFound ? MlflowErrorCodes.EndpointNotFound : $"HTTP_{(int)status}";
        return new MlflowException(code404, text, status);
    }

    private static IEnumerable<(string, string?)> Repeated(string key, IEnumerable<string>? values) =>
        values?.Select(v => (key, (string?)v)) ?? [];
}
