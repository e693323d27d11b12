using Serverless.Pipelines.Definition;

namespace Serverless.Pipelines.Attempts;

/// <summary>
/// The contract between the pipeline-run orchestration and the compute targets that run step attempts.
/// Every compute target is a sub-orchestration registered under <see cref="OrchestrationFor"/>: its input is a
/// <see cref="StepAttemptInput"/>, its output a <see cref="Execution.StepExecutionResult"/>, its instance id
/// <see cref="InstanceId"/>, and it must stop the attempt (returning a Cancelled result) when it receives the
/// <see cref="CancelEvent"/> external event. A swept step runs as <see cref="SweepOrchestration"/> with a
/// <see cref="SweepStepInput"/> instead, and returns the best trial's result.
/// </summary>
public static class StepAttempts
{
    /// <summary>The sub-orchestration that runs an attempt as a local child process.</summary>
    public const string LocalOrchestration = "Pipelines.Step.Local";

    /// <summary>The sub-orchestration that runs an attempt on Azure Batch.</summary>
    public const string BatchOrchestration = "Pipelines.Step.Batch";

    /// <summary>The sub-orchestration that runs a swept step: many trials, the best one's outputs returned.</summary>
    public const string SweepOrchestration = "Pipelines.Step.Sweep";

    /// <summary>External event that asks a running attempt (or sweep) to stop; the event carries no payload.</summary>
    public const string CancelEvent = "Pipelines.Step.Cancel";

    /// <summary>
    /// The activity a compute target registers to clean up after a whole pipeline run (Batch: close the run's jobs).
    /// The run orchestration calls it with a <see cref="ComputeRunEnd"/> once the run has ended (succeeded, failed or
    /// cancelled), if the run started an attempt on that target and the activity is registered on the host.
    /// </summary>
    public const string BatchRunEndActivity = "Pipelines.Batch.EndRun";

    /// <summary>The run-end activity of a compute target, or null when the target needs none.</summary>
    public static string? RunEndActivityFor(ComputeTarget target) => target switch
    {
        ComputeTarget.Batch => BatchRunEndActivity,
        _ => null,
    };

    /// <summary>The sub-orchestration name for a compute target.</summary>
    public static string OrchestrationFor(ComputeTarget target) => target switch
    {
        ComputeTarget.Batch => BatchOrchestration,
        _ => LocalOrchestration,
    };

    /// <summary>
    /// The deterministic instance id of an attempt's sub-orchestration, so that a replayed or re-sent start
    /// finds the same instance instead of starting a second one.
    /// </summary>
    public static string InstanceId(string runId, string stepKey, int attempt) => $"{runId}:{stepKey}:{attempt}";
}
