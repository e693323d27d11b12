namespace Serverless.Tracking.Client;

/// <summary>A run's latest metrics, params and tags.</summary>
public sealed record RunData
{
    /// <summary>The latest point of each metric key.</summary>
    public IReadOnlyList<Metric>? Metrics { get; init; }

    /// <summary>Parameters.</summary>
    public IReadOnlyList<Param>? Params { get; init; }

    /// <summary>Tags.</summary>
    public IReadOnlyList<Tag>? Tags { get; init; }
}
