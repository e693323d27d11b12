namespace Serverless.Sweeps.Orchestration;

/// <summary>
/// A sweep's state: the orchestration's custom status and the body of
/// <c>GET /api/runs/{runId}/steps/{stepKey}/sweep</c>.
/// </summary>
public sealed record SweepStatusView
{
    /// <summary><c>random</c>, <c>grid</c> or <c>bayes</c>.</summary>
    public required string Method { get; init; }

    /// <summary>The metric, or null for a sweep without one (random or grid).</summary>
    public SweepMetricView? Metric { get; init; }

    /// <summary>Running, Paused, Stopping, Succeeded, Failed, Stopped or Cancelled.</summary>
    public required string Status { get; init; }

    /// <summary>Why the sweep ended (or is ending), or null while it runs.</summary>
    public string? Reason { get; init; }

    /// <summary>Every trial, best first.</summary>
    public required IReadOnlyList<SweepTrialView> Trials { get; init; }

    /// <summary>The best trial that ran to the end, or null.</summary>
    public SweepBestView? Best { get; init; }

    /// <summary>Parameter importance (sums to 1 once trials differ), by dotted name.</summary>
    public required IReadOnlyDictionary<string, double> Importance { get; init; }
}
