namespace Serverless.Sweeps;

/// <summary>Budget limits of a sweep; null means unlimited.</summary>
public sealed record SweepLimits
{
    /// <summary>Total trials to run (W&amp;B <c>run_cap</c>, Azure ML <c>max_total_trials</c>).</summary>
    public int? MaxTrials { get; init; }

    /// <summary>Trials running at once.</summary>
    public int? MaxConcurrentTrials { get; init; }

    /// <summary>Failed trials after which the sweep stops.</summary>
    public int? MaxFailedTrials { get; init; }

    /// <summary>Total wall-clock budget of the sweep.</summary>
    public TimeSpan? Timeout { get; init; }
}
