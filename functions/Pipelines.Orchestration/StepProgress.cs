namespace Serverless.Pipelines.Orchestration;

/// <summary>One step or iteration in <see cref="RunProgress"/>, in the shape the HTTP API returns.</summary>
public sealed record StepProgress
{
    /// <summary><c>train</c> or <c>train[2]</c>.</summary>
    public required string Key { get; init; }

    /// <summary>Pending, Running, Succeeded, Failed, Skipped, Cached or Cancelled.</summary>
    public required string Status { get; init; }

    /// <summary>The current or last attempt (0 when it never ran).</summary>
    public int Attempt { get; init; }

    /// <summary>When the current or last attempt started.</summary>
    public DateTime? StartedAt { get; init; }

    /// <summary>How long the last attempt took, in seconds; null while it runs.</summary>
    public double? Duration { get; init; }

    /// <summary>Where the last attempt's time went, in seconds; null while it runs or when the executor does not tell.</summary>
    public StepPhaseSeconds? Phases { get; init; }

    /// <summary>Why it failed, was skipped or cancelled, or what it waits for.</summary>
    public string? Reason { get; init; }

    /// <summary>The step's child tracking run.</summary>
    public string? TrackingRunId { get; init; }

    /// <summary><c>local</c> or <c>batch</c>.</summary>
    public string Compute { get; init; } = "local";

    /// <summary>Outputs: value outputs as text, artifacts as their URI.</summary>
    public IReadOnlyDictionary<string, string>? Outputs { get; init; }
}
