namespace Serverless.Pipelines.Planning;

/// <summary>The planner's view of one step or iteration.</summary>
/// <param name="Key">Which step/iteration; a parallel-for step also appears without an iteration, aggregated.</param>
/// <param name="Status">Its status.</param>
/// <param name="Reason">Why it is failed, skipped, blocked or cancelled.</param>
public sealed record PlannedStepState(StepKey Key, StepStatus Status, string? Reason = null);
