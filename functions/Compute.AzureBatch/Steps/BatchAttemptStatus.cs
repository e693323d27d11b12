namespace Serverless.Compute.AzureBatch.Steps;

/// <summary>
/// The custom status of a <c>Pipelines.Step.Batch</c> instance: where the task is and what Batch last said. The
/// logs service reads it to find a running attempt's task; clients can show it as the step's detail.
/// </summary>
public sealed record BatchAttemptStatus
{
    /// <summary>The pool.</summary>
    public required string PoolId { get; init; }

    /// <summary>The run's job on the pool.</summary>
    public required string JobId { get; init; }

    /// <summary>The attempt's task.</summary>
    public required string TaskId { get; init; }

    /// <summary>The container holding outputs and logs.</summary>
    public required string ArtifactContainer { get; init; }

    /// <summary>The attempt's blob prefix (<c>…/outputs/</c>, <c>…/logs/</c>).</summary>
    public required string BlobPrefix { get; init; }

    /// <summary>Batch's task state: <c>active</c>, <c>preparing</c>, <c>running</c> or <c>completed</c>.</summary>
    public string State { get; init; } = "active";

    /// <summary>The node running the task, once placed.</summary>
    public string? NodeId { get; init; }

    /// <summary>
    /// How often the task went back to the queue after it had started (Spot preemption, node failure): Batch's
    /// <c>requeueCount</c>, or more when a return to <c>active</c> or a growing <c>retryCount</c> was observed. Never
    /// counted as a failure of the step.
    /// </summary>
    public int Requeues { get; init; }

    /// <summary>True once the orchestration asked Batch to terminate the task.</summary>
    public bool TerminateRequested { get; init; }
}
