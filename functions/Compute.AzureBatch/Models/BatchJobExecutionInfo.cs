namespace Serverless.Compute.AzureBatch.Models;

/// <summary>How a job's execution went (<c>executionInfo</c>).</summary>
public sealed class BatchJobExecutionInfo
{
    /// <summary>When the job started.</summary>
    public DateTimeOffset? StartTime { get; set; }

    /// <summary>When it completed.</summary>
    public DateTimeOffset? EndTime { get; set; }

    /// <summary>The pool the job runs on.</summary>
    public string? PoolId { get; set; }

    /// <summary>Why it ended: <c>AllTasksComplete</c>, <c>MaxWallClockTimeExpiry</c>, <c>TaskFailed</c>, <c>UserTerminate</c> or a caller's reason.</summary>
    public string? TerminateReason { get; set; }
}
