namespace Serverless.Tracking.Client;

/// <summary>A run's metadata.</summary>
public sealed record RunInfo
{
    /// <summary>Run id (32 lowercase hex characters).</summary>
    public required string RunId { get; init; }

    /// <summary>Deprecated duplicate of <see cref="RunId"/> that older clients still read.</summary>
    public string? RunUuid { get; init; }

    /// <summary>The experiment the run belongs to.</summary>
    public required string ExperimentId { get; init; }

    /// <summary>Display name.</summary>
    public string? RunName { get; init; }

    /// <summary>Who started the run.</summary>
    public string? UserId { get; init; }

    /// <summary>RUNNING, SCHEDULED, FINISHED, FAILED or KILLED.</summary>
    public string? Status { get; init; }

    /// <summary>Start time, ms since the epoch.</summary>
    public long? StartTime { get; init; }

    /// <summary>End time, ms since the epoch, once the run has ended.</summary>
    public long? EndTime { get; init; }

    /// <summary>Root of the run's artifacts, e.g. <c>mlflow-artifacts:/1/&lt;run&gt;/artifacts</c>.</summary>
    public string? ArtifactUri { get; init; }

    /// <summary><c>active</c> or <c>deleted</c>.</summary>
    public string? LifecycleStage { get; init; }
}
