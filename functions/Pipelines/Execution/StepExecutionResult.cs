using Serverless.Pipelines.Definition;
using Serverless.Pipelines.Planning;

namespace Serverless.Pipelines.Execution;

/// <summary>The outcome of one attempt of a step.</summary>
public sealed record StepExecutionResult
{
    /// <summary>Which step/iteration.</summary>
    public required StepKey Key { get; init; }

    /// <summary>1-based attempt number.</summary>
    public required int Attempt { get; init; }

    /// <summary>True when the command exited 0 and every declared output was produced and uploaded.</summary>
    public required bool Succeeded { get; init; }

    /// <summary>The command's exit code, or null when it was killed or never started.</summary>
    public int? ExitCode { get; init; }

    /// <summary>Why it did not succeed (null on success).</summary>
    public FailureKind? FailureKind { get; init; }

    /// <summary>A human-readable reason for the failure.</summary>
    public string? FailureReason { get; init; }

    /// <summary>Uploaded artifact outputs with their digests.</summary>
    public IReadOnlyDictionary<string, ArtifactRef> Artifacts { get; init; } = new Dictionary<string, ArtifactRef>();

    /// <summary>Value outputs the step reported.</summary>
    public IReadOnlyDictionary<string, PipelineValue> Values { get; init; } = new Dictionary<string, PipelineValue>();

    /// <summary>When the command started.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>How long the attempt took, input download to output upload.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>
    /// Where the attempt's time went, when the executor measured it: staging inputs, the command itself,
    /// collecting and uploading outputs. Null when the command never started, or the executor does not tell.
    /// </summary>
    public StepPhases? Phases { get; init; }

    /// <summary>Blob names (in the artifact container) of stdout and stderr.</summary>
    public IReadOnlyList<string> LogBlobs { get; init; } = [];

    /// <summary>The result as the planner records it.</summary>
    public StepResult ToStepResult() => Succeeded
        ? StepResult.Succeeded(Artifacts, Values)
        : new StepResult
        {
            Status = FailureKind == Planning.FailureKind.Cancelled ? StepStatus.Cancelled : StepStatus.Failed,
            Reason = FailureReason,
        };
}
