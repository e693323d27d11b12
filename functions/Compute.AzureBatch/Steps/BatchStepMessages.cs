using Serverless.Pipelines.Attempts;
using Serverless.Pipelines.Definition;
using Serverless.Pipelines.Planning;

namespace Serverless.Compute.AzureBatch.Steps;

// The payloads between the monitor orchestration and its activities. They travel as JSON through the
// engine's queues and history, so they are plain records.

/// <summary>A task to poll or terminate.</summary>
internal sealed record BatchTaskRef(string JobId, string TaskId);

/// <summary>What the submit activity did.</summary>
/// <param name="Target">Where the attempt runs; null when it could not be submitted.</param>
/// <param name="Created">False when the task was there already (a re-run after a crash).</param>
/// <param name="Error">Why it cannot be submitted (configuration, authorization, a rejected request): not worth retrying.</param>
/// <param name="InfrastructureError">True when <paramref name="Error"/> is the platform's fault rather than the step's.</param>
internal sealed record BatchSubmitResult(BatchStepTarget? Target, bool Created, string? Error, bool InfrastructureError);

/// <summary>A task's state as one poll saw it.</summary>
internal sealed record BatchPollResult(
    string? State,
    BatchStepOutcome? Outcome,
    DateTimeOffset? StartTime,
    DateTimeOffset? EndTime,
    string? NodeId,
    bool Missing);

/// <summary>What the collect activity needs: the declared outputs and where they were uploaded.</summary>
internal sealed record BatchCollectInput(BatchStepTarget Target, IReadOnlyList<StepAttemptOutput> Outputs);

/// <summary>The outputs read back from Blob, or the first problem found with them.</summary>
internal sealed record BatchCollectResult(
    IReadOnlyDictionary<string, ArtifactRef> Artifacts,
    IReadOnlyDictionary<string, PipelineValue> Values,
    string? Problem);
