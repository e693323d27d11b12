namespace Serverless.Tracking.Client;

/// <summary>A dataset a run consumed, as MLflow describes it.</summary>
public sealed record Dataset
{
    /// <summary>Dataset name.</summary>
    public required string Name { get; init; }

    /// <summary>Content digest.</summary>
    public required string Digest { get; init; }

    /// <summary>Kind of source, e.g. <c>local</c>, <c>http</c>.</summary>
    public required string SourceType { get; init; }

    /// <summary>Source description (JSON text).</summary>
    public required string Source { get; init; }

    /// <summary>Schema (JSON text).</summary>
    public string? Schema { get; init; }

    /// <summary>Profile (JSON text).</summary>
    public string? Profile { get; init; }
}
