namespace Serverless.Compute.AzureBatch.Models;

/// <summary>Why a task failed: its own fault (<c>usererror</c>) or Batch's (<c>servererror</c>).</summary>
public sealed class BatchFailureInfo
{
    /// <summary>The wire value for a failure caused by the task or its inputs.</summary>
    public const string UserErrorCategory = "usererror";

    /// <summary>The wire value for a failure of the Batch service or node.</summary>
    public const string ServerErrorCategory = "servererror";

    /// <summary><see cref="UserErrorCategory"/> or <see cref="ServerErrorCategory"/>.</summary>
    public string? Category { get; set; }

    /// <summary>A machine-readable code, e.g. <c>TaskEnded</c> or <c>FileUploadContainerNotFound</c>.</summary>
    public string? Code { get; set; }

    /// <summary>A human-readable message.</summary>
    public string? Message { get; set; }

    /// <summary>Extra details.</summary>
    public IList<BatchNameValuePair>? Details { get; set; }
}
