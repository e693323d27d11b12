using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using static Serverless.Tracking.Mlflow.MlflowHttp;

namespace Serverless.Tracking.Mlflow;

public static partial class MlflowEndpoints
{
    private const string CreateMarker = "/mlflow-artifacts/mpu/create/";
    private const string PartMarker = "/mlflow-artifacts/mpu/part/";
    private const string CompleteMarker = "/mlflow-artifacts/mpu/complete/";
    private const string AbortMarker = "/mlflow-artifacts/mpu/abort/";

    /// <summary>
    /// MLflow's multipart upload through the proxy. MLflow's cloud stores hand out presigned part URLs;
    /// here each credential URL points back at this host (<c>mpu/part/&lt;path&gt;</c>), which streams the
    /// part into staged blocks, so the client needs no storage credentials at all.
    /// </summary>
    private static void MapMultipart(RouteGroupBuilder artifacts)
    {
        artifacts.MapPost("mpu/create/{**path}", Handle<CreateMultipartUploadRequest>(async (r, c) =>
        {
            var path = await AuthorizeAsync(c, PathFromTarget(c, CreateMarker));
            var parts = r.NumParts ?? throw TrackingException.Invalid("Missing value for required parameter 'num_parts'.");
            if (parts is < 1 or > BlobMultipartUploads.MaxParts)
            {
                throw TrackingException.Invalid($"num_parts must be between 1 and {BlobMultipartUploads.MaxParts}, got {parts}.");
            }

            var uploadId = await Multipart(c).CreateUploadAsync(path, c.RequestAborted);
            var baseUrl = PartBaseUrl(c, path);
            var credentials = Enumerable.Range(1, (int)parts).Select(n => new
            {
                PartNumber = n,
                Url = string.Create(CultureInfo.InvariantCulture, $"{baseUrl}?upload_id={uploadId}&part_number={n}"),
                Headers = new Dictionary<string, string>(),
            }).ToList();
            return new { UploadId = uploadId, Credentials = credentials };
        }));
        artifacts.MapPut("mpu/part/{**path}", ArtifactHandler(UploadPartAsync));
        artifacts.MapPost("mpu/complete/{**path}", Handle<CompleteMultipartUploadRequest>(async (r, c) =>
        {
            var path = await AuthorizeAsync(c, PathFromTarget(c, CompleteMarker));
            var uploadId = Validation.Required(r.UploadId, "upload_id");
            if (r.Parts is not { Count: > 0 } parts)
            {
                throw TrackingException.Invalid("Missing value for required parameter 'parts'.");
            }

            var named = parts.Select((p, i) => (
                p.PartNumber ?? throw TrackingException.Invalid($"parts[{i}].part_number is required."),
                p.Etag ?? throw TrackingException.Invalid($"parts[{i}].etag is required."))).ToList();
            var contentType = s_contentTypes.TryGetContentType(path, out var guessed) ? guessed : "application/octet-stream";
            await Multipart(c).CompleteUploadAsync(path, uploadId, named, contentType, c.RequestAborted);
            return s_empty;
        }));
        artifacts.MapPost("mpu/abort/{**path}", Handle<AbortMultipartUploadRequest>(async (r, c) =>
        {
            var path = await AuthorizeAsync(c, PathFromTarget(c, AbortMarker));
            await Multipart(c).AbortUploadAsync(path, Validation.Required(r.UploadId, "upload_id"), c.RequestAborted);
            return s_empty;
        }));
    }

    private static async Task UploadPartAsync(HttpContext context)
    {
        var path = await AuthorizeAsync(context, PathFromTarget(context, PartMarker));
        var uploadId = context.Request.Query["upload_id"].ToString();
        if (!int.TryParse(context.Request.Query["part_number"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var partNumber))
        {
            throw TrackingException.Invalid("Query parameter 'part_number' must be a whole number from 1.");
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            // A part is typically 100 MB; it is streamed into 4 MiB blocks.
            limit.MaxRequestBodySize = null;
        }

        var etag = await Multipart(context).UploadPartAsync(path, uploadId, partNumber, context.Request.Body, context.RequestAborted);
        context.Response.Headers.ETag = $"\"{etag}\"";
        await WriteJsonAsync(context, StatusCodes.Status200OK, s_empty);
    }

    private static string PartBaseUrl(HttpContext context, string path)
    {
        // Same API prefix (/api/2.0 or /ajax-api/2.0) as the create call, segments escaped once.
        var raw = RawPath(context);
        var prefix = raw[..raw.IndexOf(CreateMarker, StringComparison.OrdinalIgnoreCase)];
        var escaped = string.Join('/', path.Split('/').Select(Uri.EscapeDataString));
        return $"{context.Request.Scheme}://{context.Request.Host}{prefix}{PartMarker}{escaped}";
    }

    private static IMultipartArtifactStore Multipart(HttpContext context) => context.RequestServices.GetRequiredService<IMultipartArtifactStore>();
}
