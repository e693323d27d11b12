namespace Serverless.Sweeps.Orchestration;

/// <summary>One row of the leaderboard (HTTP and custom status).</summary>
public sealed record SweepTrialView
{
    /// <summary>The trial's number, from 0 in suggestion order.</summary>
    public required int Number { get; init; }

    /// <summary>The trial's parameter values by dotted name.</summary>
    public required IReadOnlyDictionary<string, object?> Params { get; init; }

    /// <summary>Running, Succeeded, Failed, Stopped or Cancelled.</summary>
    public required SweepTrialStatus Status { get; init; }

    /// <summary>The objective value (final, or last logged when stopped), or null.</summary>
    public double? Value { get; init; }

    /// <summary>How many intermediate values the trial logged, or null when unknown.</summary>
    public int? Step { get; init; }

    /// <summary>The trial's tracking run.</summary>
    public string? TrackingRunId { get; init; }

    /// <summary>Why it failed, stopped or was cancelled.</summary>
    public string? Reason { get; init; }
}
