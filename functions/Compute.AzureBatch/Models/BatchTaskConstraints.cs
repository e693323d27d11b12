namespace Serverless.Compute.AzureBatch.Models;

/// <summary>Limits on one task.</summary>
public sealed class BatchTaskConstraints
{
    /// <summary>How long the task may run once started; Batch ends it with failure code <c>TaskEnded</c> after that.</summary>
    public TimeSpan? MaxWallClockTime { get; set; }

    /// <summary>How long the task directory is kept on the node after the task completes (default 7 days).</summary>
    public TimeSpan? RetentionTime { get; set; }

    /// <summary>How many times Batch retries a non-zero exit; <c>-1</c> is unlimited, default 0.</summary>
    public int? MaxTaskRetryCount { get; set; }
}
