namespace Serverless.Tracking.Client;

/// <summary>An experiment: a named group of runs sharing an artifact location.</summary>
public sealed record Experiment
{
    /// <summary>Experiment id (a decimal string; "0" is the Default experiment).</summary>
    public required string ExperimentId { get; init; }

    /// <summary>Unique name.</summary>
    public required string Name { get; init; }

    /// <summary>Where the experiment's run artifacts live, e.g. <c>mlflow-artifacts:/1</c>.</summary>
    public string? ArtifactLocation { get; init; }

    /// <summary><c>active</c> or <c>deleted</c>.</summary>
    public string? LifecycleStage { get; init; }

    /// <summary>Creation time, ms since the epoch.</summary>
    public long? CreationTime { get; init; }

    /// <summary>Last update time, ms since the epoch.</summary>
    public long? LastUpdateTime { get; init; }

    /// <summary>Experiment tags.</summary>
    public IReadOnlyList<Tag>? Tags { get; init; }
}
