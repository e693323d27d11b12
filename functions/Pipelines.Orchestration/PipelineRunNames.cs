namespace Serverless.Pipelines.Orchestration;

/// <summary>Names of the run orchestration, its activities and its events.</summary>
public static class PipelineRunNames
{
    /// <summary>The orchestration that runs a whole pipeline.</summary>
    public const string RunOrchestration = "Pipelines.Run";

    /// <summary>External event that cancels a run: running steps are stopped, nothing new starts.</summary>
    public const string CancelEvent = "Pipelines.Run.Cancel";

    internal const string Prepare = "Pipelines.Run.Prepare";
    internal const string BeginStep = "Pipelines.Run.BeginStep";
    internal const string StepFinished = "Pipelines.Run.StepFinished";
    internal const string Finish = "Pipelines.Run.Finish";
    internal const string LocalRun = "Pipelines.Step.Local.Run";

    // A local attempt run straight from the run orchestration (no sub-orchestration): its attempt id is
    // StepAttempts.InstanceId of its input, the id a Pipelines.Step.Local sub-orchestration would have had.
    internal const string LocalStep = "Pipelines.Run.LocalStep";

    // A local step's first attempt with its begin (close-outs, cache lookup, child tracking run) in the same
    // activity: one activity and one episode per step fewer than BeginStep followed by LocalStep.
    internal const string BeginLocalStep = "Pipelines.Run.BeginLocalStep";
    internal const string LocalCancel = "Pipelines.Step.Local.Cancel";
}
