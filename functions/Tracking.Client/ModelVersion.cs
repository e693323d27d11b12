namespace Serverless.Tracking.Client;

/// <summary>One version of a registered model, with its source artifacts and lineage.</summary>
public sealed record ModelVersion
{
    /// <summary>Registered model name.</summary>
    public required string Name { get; init; }

    /// <summary>Version number as a string ("1", "2", ...).</summary>
    public required string Version { get; init; }

    /// <summary>Creation time, ms since the epoch.</summary>
    public long? CreationTimestamp { get; init; }

    /// <summary>Last update time, ms since the epoch.</summary>
    public long? LastUpdatedTimestamp { get; init; }

    /// <summary>Who created it.</summary>
    public string? UserId { get; init; }

    /// <summary>Legacy stage: None, Staging, Production or Archived.</summary>
    public string? CurrentStage { get; init; }

    /// <summary>Free text.</summary>
    public string? Description { get; init; }

    /// <summary>Where the model's files are, e.g. <c>mlflow-artifacts:/1/&lt;run&gt;/artifacts/model</c>.</summary>
    public string? Source { get; init; }

    /// <summary>The run that produced it (lineage).</summary>
    public string? RunId { get; init; }

    /// <summary>PENDING_REGISTRATION, FAILED_REGISTRATION or READY.</summary>
    public string? Status { get; init; }

    /// <summary>Detail for the status.</summary>
    public string? StatusMessage { get; init; }

    /// <summary>Tags.</summary>
    public IReadOnlyList<Tag>? Tags { get; init; }

    /// <summary>Link to the producing run (or pipeline run) in a UI.</summary>
    public string? RunLink { get; init; }

    /// <summary>Aliases pointing at this version.</summary>
    public IReadOnlyList<string>? Aliases { get; init; }
}
