namespace Serverless.Sweeps;

/// <summary>Whether the sweep's metric is to be made small or large.</summary>
public enum MetricGoal
{
    /// <summary>Lower is better (the W&amp;B default).</summary>
    Minimize,

    /// <summary>Higher is better.</summary>
    Maximize,
}
