using Serverless.Pipelines.Attempts;
using Serverless.Pipelines.Definition;
using Serverless.Pipelines.Execution;
using Serverless.Pipelines.Planning;

namespace Serverless.Pipelines.Orchestration;

// Inputs and outputs of the run's activities. They travel as JSON through the engine's queues and history.

internal sealed record PrepareRunRequest(
    string RunId, string Pipeline, string Version, IReadOnlyDictionary<string, PipelineValue> Parameters, string? ExperimentName, string? RerunOf);

internal sealed record PreparedRun
{
    public required string DefinitionYaml { get; init; }

    public required string DefinitionFile { get; init; }

    public required string CodeDigest { get; init; }

    public string? TrackingUri { get; init; }

    public string? TrackingRunId { get; init; }

    public string? ExperimentId { get; init; }

    public TimeSpan TimeoutGrace { get; init; }

    /// <summary>Run-end activities registered on this host by compute target (see <see cref="StepAttempts.RunEndActivityFor"/>).</summary>
    public IReadOnlyDictionary<ComputeTarget, string> RunEndActivities { get; init; } = new Dictionary<ComputeTarget, string>();
}

// Finished carries the close-out of steps that ended since the last call, so that a chain of steps costs one
// activity round trip per step instead of two. UseCache: the step is cacheable (its key is computed and its
// success recorded); SkipLookup: the run asked to execute every step, so an earlier hit is not reused.
internal sealed record BeginStepRequest(
    StepAttemptInput Attempt, string CodeDigest, bool UseCache, string? ParentTrackingRunId, string? ExperimentId,
    IReadOnlyList<StepFinishedRequest>? Finished = null, bool SkipLookup = false);

internal sealed record BeginStepResult(string? CacheKey, StepResult? Hit, string? TrackingRunId);

// The answer of Pipelines.Run.BeginLocalStep, whose input is a BeginStepRequest with the attempt's tracking
// context already set. Result is null when the begin found a cache hit (Begin.Hit) and nothing ran.
internal sealed record BeginLocalStepResult(BeginStepResult Begin, StepExecutionResult? Result);

internal sealed record StepFinishedRequest(string? TrackingRunId, StepStatus Status, string? CacheKey, StepResult Result);

internal sealed record FinishRunRequest(string? TrackingRunId, RunOutcome Outcome, IReadOnlyList<StepFinishedRequest>? Finished = null);
