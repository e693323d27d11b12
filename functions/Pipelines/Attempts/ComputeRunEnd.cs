using Serverless.Pipelines.Definition;
using Serverless.Pipelines.Planning;

namespace Serverless.Pipelines.Attempts;

/// <summary>The input of a compute target's run-end activity (<see cref="StepAttempts.RunEndActivityFor"/>).</summary>
/// <param name="RunId">The pipeline run id (the run orchestration's instance id).</param>
/// <param name="Outcome">How the run ended.</param>
/// <param name="Steps">The compute of every step the run started on this target, one entry per step.</param>
public sealed record ComputeRunEnd(string RunId, RunOutcome Outcome, IReadOnlyList<ComputeSpec> Steps);
