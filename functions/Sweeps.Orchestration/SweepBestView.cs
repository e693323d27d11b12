namespace Serverless.Sweeps.Orchestration;

/// <summary>The best trial so far.</summary>
/// <param name="Number">Its number.</param>
/// <param name="Params">Its parameter values by dotted name.</param>
/// <param name="Value">Its metric value.</param>
public sealed record SweepBestView(int Number, IReadOnlyDictionary<string, object?> Params, double Value);
