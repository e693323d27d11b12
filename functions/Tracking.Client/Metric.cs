namespace Serverless.Tracking.Client;

/// <summary>One metric point. NaN and ±Infinity are valid values.</summary>
/// <param name="Key">Metric key.</param>
/// <param name="Value">Metric value.</param>
/// <param name="Timestamp">Milliseconds since the Unix epoch.</param>
/// <param name="Step">Training step; 0 when not given.</param>
public sealed record Metric(string Key, double Value, long Timestamp, long Step = 0);
