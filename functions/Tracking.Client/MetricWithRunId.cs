namespace Serverless.Tracking.Client;

/// <summary>A metric point with the run it belongs to, as <c>metrics/get-history-bulk-interval</c> returns it.</summary>
/// <param name="Key">Metric key.</param>
/// <param name="Value">Value (NaN and ±Infinity allowed).</param>
/// <param name="Timestamp">Milliseconds since the epoch.</param>
/// <param name="Step">Step.</param>
/// <param name="RunId">The run the point was logged to.</param>
public sealed record MetricWithRunId(string Key, double Value, long Timestamp, long Step, string RunId);
