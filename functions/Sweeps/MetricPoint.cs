namespace Serverless.Sweeps;

/// <summary>One intermediate metric value a trial logged.</summary>
/// <param name="Step">The step (iteration, epoch) it was logged at.</param>
/// <param name="Value">The metric's value.</param>
public readonly record struct MetricPoint(long Step, double Value);
