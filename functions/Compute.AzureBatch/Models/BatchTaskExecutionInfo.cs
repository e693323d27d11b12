namespace Serverless.Compute.AzureBatch.Models;

/// <summary>How a task's execution went so far (<c>executionInfo</c>).</summary>
public sealed class BatchTaskExecutionInfo
{
    /// <summary>The wire value of a successful <see cref="Result"/>.</summary>
    public const string SuccessResult = "success";

    /// <summary>The wire value of a failed <see cref="Result"/>.</summary>
    public const string FailureResult = "failure";

    /// <summary>When the (latest attempt of the) task started running.</summary>
    public DateTimeOffset? StartTime { get; set; }

    /// <summary>When it completed.</summary>
    public DateTimeOffset? EndTime { get; set; }

    /// <summary>The command's exit code, once completed.</summary>
    public int? ExitCode { get; set; }

    /// <summary><see cref="SuccessResult"/> or <see cref="FailureResult"/>, once completed.</summary>
    public string? Result { get; set; }

    /// <summary>Why it failed, including pre-processing (download) and upload errors.</summary>
    public BatchFailureInfo? FailureInfo { get; set; }

    /// <summary>Retries after non-zero exits.</summary>
    public int RetryCount { get; set; }

    /// <summary>Times Batch put the task back in the queue, e.g. after a Spot node was preempted.</summary>
    public int RequeueCount { get; set; }

    /// <summary>The container, for container tasks.</summary>
    public BatchTaskContainerInfo? ContainerInfo { get; set; }
}
