namespace Serverless.Pipelines.Orchestration;

/// <summary>
/// The run's custom status: small enough to live in the instance row, so a status query answers without
/// reading the history.
/// </summary>
public sealed record RunProgress
{
    /// <summary>The pipeline name.</summary>
    public string? Pipeline { get; init; }

    /// <summary>The package version.</summary>
    public string? Version { get; init; }

    /// <summary>The parent tracking run.</summary>
    public string? TrackingRunId { get; init; }

    /// <summary>The tracking experiment.</summary>
    public string? ExperimentId { get; init; }

    /// <summary>True once cancellation was requested.</summary>
    public bool CancelRequested { get; init; }

    /// <summary>Every step and iteration in definition order.</summary>
    public IReadOnlyList<StepProgress> Steps { get; init; } = [];
}
