namespace Serverless.Tracking.Mlflow;

// Request bodies of the multipart artifact upload (mlflow/protos/mlflow_artifacts.proto). The file
// path comes from the route; the body's path field is accepted and ignored, as MLflow's server does.
internal sealed record CreateMultipartUploadRequest(string? Path = null, long? NumParts = null);

internal sealed record MultipartUploadPart(int? PartNumber = null, string? Etag = null, string? Url = null);

internal sealed record CompleteMultipartUploadRequest(string? Path = null, string? UploadId = null, List<MultipartUploadPart>? Parts = null);

internal sealed record AbortMultipartUploadRequest(string? Path = null, string? UploadId = null);
