namespace Serverless.Tracking.Client;

/// <summary>A named model in the registry.</summary>
public sealed record RegisteredModel
{
    /// <summary>Unique name.</summary>
    public required string Name { get; init; }

    /// <summary>Creation time, ms since the epoch.</summary>
    public long? CreationTimestamp { get; init; }

    /// <summary>Last update time, ms since the epoch.</summary>
    public long? LastUpdatedTimestamp { get; init; }

    /// <summary>Who created it.</summary>
    public string? UserId { get; init; }

    /// <summary>Free text.</summary>
    public string? Description { get; init; }

    /// <summary>The latest version in each stage.</summary>
    public IReadOnlyList<ModelVersion>? LatestVersions { get; init; }

    /// <summary>Tags.</summary>
    public IReadOnlyList<Tag>? Tags { get; init; }

    /// <summary>Aliases and the versions they point at.</summary>
    public IReadOnlyList<RegisteredModelAlias>? Aliases { get; init; }
}
