namespace Serverless.Pipelines.Planning;

/// <summary>What the planner decided for a run state.</summary>
public sealed record PipelinePlan
{
    /// <summary>Steps/iterations to start now, in definition order.</summary>
    public required IReadOnlyList<ReadyStep> Ready { get; init; }

    /// <summary>Every step (aggregated) and every known iteration with its status, in definition order.</summary>
    public required IReadOnlyList<PlannedStepState> States { get; init; }

    /// <summary>The outcome once finished; <see cref="RunOutcome.None"/> while the run goes on.</summary>
    public required RunOutcome Outcome { get; init; }

    /// <summary>True when nothing runs and nothing more can start.</summary>
    public bool IsFinished => Outcome != RunOutcome.None;

    /// <summary>The state of <paramref name="key"/>.</summary>
    public StepStatus StatusOf(StepKey key) =>
        States.FirstOrDefault(s => s.Key == key)?.Status ?? throw new KeyNotFoundException($"no step '{key}' in the plan");

    /// <summary>The state of step <paramref name="step"/> (aggregated over iterations).</summary>
    public StepStatus StatusOf(string step) => StatusOf(new StepKey(step));
}
