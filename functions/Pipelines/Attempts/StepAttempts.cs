using Serverless.Pipelines.Definition;

namespace Serverless.Pipelines.Attempts;

/// <summary>
/// The contract between the pipeline-run orchestration and the compute targets that run step attempts.
/// A compute target other than the in-process local one is a sub-orchestration registered under
/// <see cref="OrchestrationFor"/>: its input is a <see cref="StepAttemptInput"/>, its output a
/// <see cref="Execution.StepExecutionResult"/>, and it must stop the attempt (with a Cancelled result) when it
/// receives the <see cref="CancelEvent"/> external event.
/// </summary>
public static class StepAttempts
{
    /// <summary>The sub-orchestration that runs an attempt on Azure Batch.</summary>
    public const string BatchOrchestration = "Pipelines.Step.Batch";

    /// <summary>The sub-orchestration that runs a swept step: many trials, the best one's outputs returned.</summary>
    public const string SweepOrchestration = "Pipelines.Step.Sweep";

    /// <summary>External event that asks a running attempt to stop; the event carries no payload.</summary>
    public const string CancelEvent = "Pipelines.Step.Cancel";

    /// <summary>The sub-orchestration name for a compute target, or null when the target runs as an activity.</summary>
    public static string? OrchestrationFor(ComputeTarget target) => target switch
    {
        ComputeTarget.Batch => BatchOrchestration,
        _ => null,
    };

    /// <summary>
    /// The deterministic instance id of an attempt's sub-orchestration, so that a replayed or re-sent start
    /// finds the same instance instead of starting a second one.
    /// </summary>
    public static string InstanceId(string runId, string stepKey, int attempt) => $"{runId}:{stepKey}:{attempt}";
}
