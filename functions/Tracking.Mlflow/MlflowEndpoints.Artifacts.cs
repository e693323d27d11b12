using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Tracking.Client;
using static Serverless.Tracking.Mlflow.MlflowHttp;

namespace Serverless.Tracking.Mlflow;

public static partial class MlflowEndpoints
{
    private const string ArtifactMarker = "/mlflow-artifacts/artifacts/";
    private static readonly FileExtensionContentTypeProvider s_contentTypes = new();

    private static void MapArtifacts(RouteGroupBuilder artifacts, RouteGroupBuilder mlflow)
    {
        artifacts.MapGet("artifacts", ArtifactHandler(ListAsync));
        artifacts.MapPut("artifacts/{**path}", ArtifactHandler(UploadAsync));
        artifacts.MapGet("artifacts/{**path}", ArtifactHandler(DownloadAsync));
        artifacts.MapDelete("artifacts/{**path}", ArtifactHandler(DeleteAsync));
        MapMultipart(artifacts);
        mlflow.MapGet("artifacts/list", Handle<ListArtifactsRequest>(async (r, c) =>
        {
            // The non-proxied listing: paths relative to the run's artifact root.
            var run = await Tracking(c).GetRunAsync(r.Id, c.RequestAborted);
            var root = MlflowClient.ToProxyPath(run.Info.ArtifactUri ?? "");
            var relative = string.IsNullOrEmpty(r.Path) ? "" : ArtifactPath.Validate(r.Path);
            var files = await Artifacts(c).ListAsync(relative.Length == 0 ? root : root + "/" + relative, c.RequestAborted);
            var prefixed = files.Select(f => f with { Path = relative.Length == 0 ? f.Path : relative + "/" + f.Path }).ToList();
            return new { RootUri = run.Info.ArtifactUri, Files = NullIfEmpty(prefixed) };
        }));
    }

    private static RequestDelegate ArtifactHandler(Func<HttpContext, Task> handler) => async context =>
    {
        try
        {
            await context.RequestServices.GetRequiredService<TrackingInitializer>().EnsureAsync(context.RequestAborted);
            await handler(context);
        }
        catch (Exception e)
        {
            await WriteErrorAsync(context, e);
        }
    };

    private static async Task UploadAsync(HttpContext context)
    {
        var path = await AuthorizeAsync(context, PathFromTarget(context));
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            // Model files can be gigabytes; the body is streamed to Blob storage block by block.
            limit.MaxRequestBodySize = null;
        }

        await Artifacts(context).UploadAsync(path, context.Request.Body, context.Request.ContentType, context.RequestAborted);
        await WriteJsonAsync(context, StatusCodes.Status200OK, s_empty);
    }

    private static async Task DownloadAsync(HttpContext context)
    {
        var path = await AuthorizeAsync(context, PathFromTarget(context));
        var download = await Artifacts(context).OpenReadAsync(path, context.RequestAborted)
            ?? throw TrackingException.NotFound($"Artifact '{path}' does not exist.");
        await using (download.Content)
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = download.ContentType is { Length: > 0 } stored && stored != "application/octet-stream"
                ? stored
                : s_contentTypes.TryGetContentType(path, out var guessed) ? guessed : "application/octet-stream";
            context.Response.ContentLength = download.Length;
            await download.Content.CopyToAsync(context.Response.Body, 81_920, context.RequestAborted);
        }
    }

    private static async Task ListAsync(HttpContext context)
    {
        var requested = context.Request.Query["path"].ToString();
        if (string.IsNullOrEmpty(requested))
        {
            throw TrackingException.Invalid("Missing value for required parameter 'path' (e.g. path=<experiment>/<run>/artifacts).");
        }

        var path = await AuthorizeAsync(context, requested);
        var files = await Artifacts(context).ListAsync(path, context.RequestAborted);
        await WriteJsonAsync(context, StatusCodes.Status200OK, files.Count == 0 ? s_empty : new { Files = files });
    }

    private static async Task DeleteAsync(HttpContext context)
    {
        var path = await AuthorizeAsync(context, PathFromTarget(context));
        await Artifacts(context).DeleteAsync(path, context.RequestAborted);
        await WriteJsonAsync(context, StatusCodes.Status200OK, s_empty);
    }

    /// <summary>
    /// A path is served only if it lies inside an existing run's artifact root
    /// (<c>&lt;experiment&gt;/&lt;run&gt;/artifacts/…</c>); everything else in the container is unreachable.
    /// </summary>
    private static async Task<string> AuthorizeAsync(HttpContext context, string path)
    {
        var valid = ArtifactPath.Validate(path);
        var segments = valid.Split('/');
        for (var i = 1; i < segments.Length; i++)
        {
            if (segments[i] != "artifacts")
            {
                continue;
            }

            Run run;
            try
            {
                run = await Tracking(context).GetRunAsync(segments[i - 1], context.RequestAborted);
            }
            catch (TrackingException e) when (e.ErrorCode == MlflowErrorCodes.ResourceDoesNotExist)
            {
                continue;
            }

            var root = MlflowClient.ToProxyPath(run.Info.ArtifactUri ?? "");
            if (root.Length > 0 && (valid == root || valid.StartsWith(root + "/", StringComparison.Ordinal)))
            {
                return valid;
            }
        }

        throw TrackingException.Invalid($"Artifact path '{valid}' is not inside an existing run's artifact root (<experiment>/<run>/artifacts/...).");
    }

    // The route value is already decoded and Kestrel has folded any '..' segments, which would hide
    // a traversal attempt; the raw request target shows exactly what the client sent.
    private static string PathFromTarget(HttpContext context, string marker = ArtifactMarker)
    {
        var raw = RawPath(context);
        var at = raw.IndexOf(marker, StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            throw TrackingException.Invalid("Invalid artifact path.");
        }

        return Uri.UnescapeDataString(raw[(at + marker.Length)..]);
    }

    private static string RawPath(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "";
        var query = raw.IndexOf('?', StringComparison.Ordinal);
        return query >= 0 ? raw[..query] : raw;
    }

    private static bool HasDotSegments(string raw) =>
        Uri.UnescapeDataString(raw).Replace('\\', '/').Split('/').Any(s => s is "." or "..");

    private static IArtifactStore Artifacts(HttpContext context) => context.RequestServices.GetRequiredService<IArtifactStore>();
}
