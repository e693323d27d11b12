using Serverless.Pipelines.Definition;

namespace Serverless.Pipelines.Orchestration;

/// <summary>A pipeline run as the API reports it: the summary, plus parameters, reason and steps when read one by one.</summary>
public sealed record PipelineRunInfo
{
    /// <summary>The run id.</summary>
    public required string Id { get; init; }

    /// <summary>The pipeline.</summary>
    public string? Pipeline { get; init; }

    /// <summary>The package version.</summary>
    public string? Version { get; init; }

    /// <summary>Pending, Running, Succeeded, Failed or Cancelled: the run's outcome, not the engine's status.</summary>
    public required string Status { get; init; }

    /// <summary>When the run was created.</summary>
    public DateTime CreatedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public DateTime LastUpdatedAt { get; init; }

    /// <summary>The parent tracking run.</summary>
    public string? TrackingRunId { get; init; }

    /// <summary>The tracking experiment.</summary>
    public string? ExperimentId { get; init; }

    /// <summary>The resolved parameters (single-run reads only).</summary>
    public IReadOnlyDictionary<string, PipelineValue>? Parameters { get; init; }

    /// <summary>Why the run did not succeed.</summary>
    public string? Reason { get; init; }

    /// <summary>Every step and iteration (single-run reads only).</summary>
    public IReadOnlyList<StepProgress>? Steps { get; init; }
}
