namespace Serverless.Pipelines.Orchestration;

/// <summary><see cref="Serverless.Pipelines.Execution.StepPhases"/> in seconds, as the HTTP API shows them.</summary>
/// <param name="Prepare">Staging inputs, up to the command's start.</param>
/// <param name="Command">The command itself.</param>
/// <param name="Finalize">Uploading outputs and the last log appends.</param>
public sealed record StepPhaseSeconds(double Prepare, double Command, double Finalize)
{
    /// <summary>The phases of <paramref name="phases"/> in seconds (milliseconds precision), or null.</summary>
    public static StepPhaseSeconds? Of(Serverless.Pipelines.Execution.StepPhases? phases) => phases is null
        ? null
        : new(Math.Round(phases.Prepare.TotalSeconds, 3), Math.Round(phases.Command.TotalSeconds, 3), Math.Round(phases.Finalize.TotalSeconds, 3));
}
