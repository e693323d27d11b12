namespace Serverless.Sweeps;

/// <summary>The metric a sweep optimises (W&amp;B <c>metric:</c>).</summary>
/// <param name="Name">The logged metric's name.</param>
/// <param name="Goal">Minimise (default) or maximise.</param>
/// <param name="Target">Optional value at which the sweep is done.</param>
public sealed record SweepMetric(string Name, MetricGoal Goal = MetricGoal.Minimize, double? Target = null)
{
    /// <summary>Whether <paramref name="a"/> is strictly better than <paramref name="b"/> for this goal.</summary>
    public bool IsBetter(double a, double b) => Goal == MetricGoal.Minimize ? a < b : a > b;

    /// <summary>Whether <paramref name="value"/> reaches the target (false when there is none).</summary>
    public bool ReachesTarget(double value) => Target is { } t && (Goal == MetricGoal.Minimize ? value <= t : value >= t);
}
