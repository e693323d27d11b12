namespace Serverless.Sweeps;

/// <summary>Builds the early-stopping rule a configuration asks for.</summary>
public static class EarlyStoppers
{
    /// <summary>The configured rule, or null when the sweep has no early termination.</summary>
    public static IEarlyStopper? Create(SweepConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var goal = config.Metric?.Goal ?? MetricGoal.Minimize;
        if (config.Hyperband is { } hyperband)
        {
            return new HyperbandStopper(hyperband, goal);
        }

        return config.MedianStopping is { } median ? new MedianStopper(median, goal) : null;
    }
}
