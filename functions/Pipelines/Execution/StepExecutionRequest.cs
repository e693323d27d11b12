using Serverless.Pipelines.Planning;

namespace Serverless.Pipelines.Execution;

/// <summary>Everything an executor needs to run one attempt of a ready step.</summary>
public sealed record StepExecutionRequest
{
    /// <summary>The pipeline run's id (used in blob paths and passed as <c>SERVERLESS_RUN_ID</c>).</summary>
    public required string RunId { get; init; }

    /// <summary>The resolved step from the planner.</summary>
    public required ReadyStep Step { get; init; }

    /// <summary>1-based attempt number.</summary>
    public int Attempt { get; init; } = 1;

    /// <summary>The local directory holding the fetched package (<c>SERVERLESS_PACKAGE</c>); <c>package:</c> inputs are read from it.</summary>
    public required string PackageDirectory { get; init; }

    /// <summary>Tracking run for the step, or null when the step runs without tracking.</summary>
    public TrackingContext? Tracking { get; init; }

    /// <summary>Blob prefix for this attempt's outputs and logs; defaults to <c>RUN/STEP/attempt-N</c>.</summary>
    public string? BlobPrefix { get; init; }

    /// <summary>
    /// A file the executor writes the step's process group id into as soon as the command starts, so that a
    /// caller that crashed can find and kill the orphaned group after a restart; null for none.
    /// </summary>
    public string? ProcessGroupFile { get; init; }

    /// <summary>The prefix actually used.</summary>
    public string EffectiveBlobPrefix =>
        BlobPrefix ?? $"{RunId}/{Step.Key.Step}{(Step.Key.Iteration is { } i ? $"/{i}" : string.Empty)}/attempt-{Attempt}";
}
