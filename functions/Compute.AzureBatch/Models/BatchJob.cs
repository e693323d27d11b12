namespace Serverless.Compute.AzureBatch.Models;

/// <summary>A job as <c>GET /jobs/{jobId}</c> returns it (the fields the platform reads).</summary>
public sealed class BatchJob
{
    /// <summary>The job id.</summary>
    public string? Id { get; set; }

    /// <summary>The job URL.</summary>
    public string? Url { get; set; }

    /// <summary>The ETag.</summary>
    public string? ETag { get; set; }

    /// <summary><c>active</c>, <c>disabling</c>, <c>disabled</c>, <c>enabling</c>, <c>terminating</c>, <c>completed</c> or <c>deleting</c>.</summary>
    public string? State { get; set; }

    /// <summary>The pool.</summary>
    public BatchPoolInformation? PoolInfo { get; set; }

    /// <summary>The wire value, <c>noaction</c> or <c>terminatejob</c>.</summary>
    public string? OnAllTasksComplete { get; set; }

    /// <summary>Job limits.</summary>
    public BatchJobConstraints? Constraints { get; set; }

    /// <summary>How the execution went.</summary>
    public BatchJobExecutionInfo? ExecutionInfo { get; set; }
}
