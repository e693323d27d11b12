using System.Net.Http.Headers;
using System.Text;

namespace Serverless.Tracking.Client;

public sealed partial class MlflowClient
{
    private const string ArtifactScheme = "mlflow-artifacts:";
    private const string ArtifactRoute = "api/2.0/mlflow-artifacts/artifacts";

    /// <summary>
    /// Maps an <c>mlflow-artifacts:</c> URI to the path the artifact proxy expects, e.g.
    /// <c>mlflow-artifacts:/1/abc/artifacts</c> to <c>1/abc/artifacts</c>.
    /// </summary>
    /// <exception cref="NotSupportedException">The URI is not an <c>mlflow-artifacts:</c> URI.</exception>
    public static string ToProxyPath(string artifactUri)
    {
        ArgumentNullException.ThrowIfNull(artifactUri);
        if (!artifactUri.StartsWith(ArtifactScheme, StringComparison.OrdinalIgnoreCase))
        {
            throw new NotSupportedException($"only {ArtifactScheme} artifact URIs are served through the proxy, got '{artifactUri}'");
        }

        var rest = artifactUri[ArtifactScheme.Length..];
        if (rest.StartsWith("//", StringComparison.Ordinal))
        {
            // mlflow-artifacts://host:port/path: the host is the tracking server itself.
            var slash = rest.IndexOf('/', 2);
            rest = slash < 0 ? "" : rest[slash..];
        }

        return rest.Trim('/');
    }

    /// <summary>Uploads <paramref name="content"/> as <paramref name="artifactPath"/> under the run's artifact root.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="artifactPath">Relative path such as <c>model/MLmodel</c>.</param>
    /// <param name="content">The bytes, streamed to the server.</param>
    /// <param name="contentType">Content type; application/octet-stream when null.</param>
    /// <param name="ct">Cancellation.</param>
    public async Task UploadArtifactAsync(string runId, string artifactPath, Stream content, string? contentType = null, CancellationToken ct = default)
    {
        var root = await GetArtifactRootAsync(runId, ct);
        using var request = new HttpRequestMessage(HttpMethod.Put, ArtifactUri(root, artifactPath));
        request.Content = new StreamContent(content);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType ?? "application/octet-stream");
        using var response = await _http.SendAsync(request, ct);
        await EnsureSuccessAsync(response, ct);
    }

    /// <summary>Uploads a local file into the run's artifacts, under <paramref name="artifactDirectory"/> when given.</summary>
    public async Task LogArtifactAsync(string runId, string localPath, string? artifactDirectory = null, CancellationToken ct = default)
    {
        await using var file = File.OpenRead(localPath);
        var name = Path.GetFileName(localPath);
        var target = string.IsNullOrEmpty(artifactDirectory) ? name : artifactDirectory.TrimEnd('/') + "/" + name;
        await UploadArtifactAsync(runId, target, file, ct: ct);
    }

    /// <summary>Uploads every file below a local directory, keeping the relative layout.</summary>
    public async Task LogArtifactsAsync(string runId, string localDirectory, string? artifactDirectory = null, CancellationToken ct = default)
    {
        foreach (var file in Directory.EnumerateFiles(localDirectory, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(localDirectory, file).Replace(Path.DirectorySeparatorChar, '/');
            var target = string.IsNullOrEmpty(artifactDirectory) ? relative : artifactDirectory.TrimEnd('/') + "/" + relative;
            await using var stream = File.OpenRead(file);
            await UploadArtifactAsync(runId, target, stream, ct: ct);
        }
    }

    /// <summary>Lists a directory of the run's artifacts (the root when <paramref name="path"/> is null).</summary>
    /// <remarks>A file path or a missing directory lists as empty, as MLflow's proxy does.</remarks>
    public async Task<IReadOnlyList<ArtifactFile>> ListArtifactsAsync(string runId, string? path = null, CancellationToken ct = default)
    {
        var root = await GetArtifactRootAsync(runId, ct);
        var full = string.IsNullOrEmpty(path) ? root : root + "/" + path.Trim('/');
        var response = await GetAsync<ListArtifactsResponse>(ArtifactRoute, [("path", full)], ct);
        return response.Files ?? [];
    }

    /// <summary>Streams one artifact of the run into <paramref name="destination"/>.</summary>
    public async Task DownloadArtifactAsync(string runId, string path, Stream destination, CancellationToken ct = default)
    {
        var root = await GetArtifactRootAsync(runId, ct);
        await DownloadFromProxyAsync(root + "/" + path.Trim('/'), destination, ct);
    }

    /// <summary>Streams the file at an <c>mlflow-artifacts:</c> URI (e.g. a model version's source plus a file name).</summary>
    public Task DownloadArtifactUriAsync(string artifactUri, Stream destination, CancellationToken ct = default) =>
        DownloadFromProxyAsync(ToProxyPath(artifactUri), destination, ct);

    /// <summary>Deletes an artifact file or directory of the run.</summary>
    public async Task DeleteArtifactAsync(string runId, string path, CancellationToken ct = default)
    {
        var root = await GetArtifactRootAsync(runId, ct);
        using var request = new HttpRequestMessage(HttpMethod.Delete, ArtifactUri(root, path));
        using var response = await _http.SendAsync(request, ct);
        await EnsureSuccessAsync(response, ct);
    }

    private async Task DownloadFromProxyAsync(string proxyPath, Stream destination, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, ArtifactUri(proxyPath, null));
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        await EnsureSuccessAsync(response, ct);
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        await body.CopyToAsync(destination, ct);
    }

    private async Task<string> GetArtifactRootAsync(string runId, CancellationToken ct)
    {
        if (_artifactRoots.TryGetValue(runId, out var cached))
        {
            return cached;
        }

        var run = await GetRunAsync(runId, ct);
        var root = ToProxyPath(run.Info.ArtifactUri ?? throw new MlflowException(
            MlflowErrorCodes.InternalError, $"run {runId} has no artifact_uri", System.Net.HttpStatusCode.OK));
        _artifactRoots[runId] = root;
        return root;
    }

    private Uri ArtifactUri(string root, string? relative)
    {
        var builder = new StringBuilder(ArtifactRoute);
        foreach (var segment in (relative is null ? root : root + "/" + relative).Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            builder.Append('/').Append(Uri.EscapeDataString(segment));
        }

        return new Uri(TrackingUri, builder.ToString());
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw ToException(response.StatusCode, await response.Content.ReadAsByteArrayAsync(ct));
        }
    }
}
