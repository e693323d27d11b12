namespace Serverless.Compute.AzureBatch.Models;

/// <summary>A task as <c>GET /jobs/{jobId}/tasks/{taskId}</c> returns it (the fields the platform reads).</summary>
public sealed class BatchTask
{
    /// <summary>The task id.</summary>
    public string? Id { get; set; }

    /// <summary>The task URL.</summary>
    public string? Url { get; set; }

    /// <summary>The ETag, for conditional requests.</summary>
    public string? ETag { get; set; }

    /// <summary>One of <see cref="BatchTaskStates"/>.</summary>
    public string? State { get; set; }

    /// <summary>When <see cref="State"/> last changed.</summary>
    public DateTimeOffset? StateTransitionTime { get; set; }

    /// <summary>The command line.</summary>
    public string? CommandLine { get; set; }

    /// <summary>The limits in force (Batch fills in defaults).</summary>
    public BatchTaskConstraints? Constraints { get; set; }

    /// <summary>How the execution went so far.</summary>
    public BatchTaskExecutionInfo? ExecutionInfo { get; set; }

    /// <summary>Where it runs or ran.</summary>
    public BatchNodeInformation? NodeInfo { get; set; }
}
