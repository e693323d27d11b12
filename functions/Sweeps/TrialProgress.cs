namespace Serverless.Sweeps;

/// <summary>A trial's intermediate metric history, as the stopping rules see it.</summary>
/// <param name="Number">The trial's number.</param>
/// <param name="Status">Running, completed, stopped or failed.</param>
/// <param name="History">The logged values, in logging order (steps ascending).</param>
public sealed record TrialProgress(int Number, TrialStatus Status, IReadOnlyList<MetricPoint> History);
