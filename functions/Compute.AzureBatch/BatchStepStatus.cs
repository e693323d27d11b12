namespace Serverless.Compute.AzureBatch;

/// <summary>Where a step running as a Batch task stands, as the orchestration's poll loop sees it.</summary>
public enum BatchStepStatus
{
    /// <summary>Queued (<c>active</c>), also again after a Spot preemption requeued it.</summary>
    Pending,

    /// <summary>On a node (<c>preparing</c> or <c>running</c>).</summary>
    Running,

    /// <summary>Completed with result <c>success</c>.</summary>
    Succeeded,

    /// <summary>Completed with result <c>failure</c>; see <see cref="BatchStepOutcome.Failure"/>.</summary>
    Failed,
}
