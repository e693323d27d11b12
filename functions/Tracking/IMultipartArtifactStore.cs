namespace Serverless.Tracking;

/// <summary>
/// MLflow's proxied multipart upload (<c>mlflow-artifacts/mpu/create|complete|abort</c>): a large file
/// arrives as numbered parts, possibly in parallel and retried, and appears only when completed.
/// </summary>
public interface IMultipartArtifactStore
{
    /// <summary>Starts an upload to <paramref name="path"/> and returns its id.</summary>
    Task<string> CreateUploadAsync(string path, CancellationToken ct = default);

    /// <summary>Stores one part from a stream and returns the tag that <see cref="CompleteUploadAsync"/> must name it by.</summary>
    Task<string> UploadPartAsync(string path, string uploadId, int partNumber, Stream content, CancellationToken ct = default);

    /// <summary>Joins the named parts, in part-number order, into the file at <paramref name="path"/>.</summary>
    Task CompleteUploadAsync(string path, string uploadId, IReadOnlyList<(int PartNumber, string ETag)> parts, string? contentType, CancellationToken ct = default);

    /// <summary>Abandons an upload; the file at <paramref name="path"/>, if any, is left as it was.</summary>
    Task AbortUploadAsync(string path, string uploadId, CancellationToken ct = default);
}
