namespace Serverless.Sweeps;

/// <summary>How much of the metric's variation one parameter explains (see <see cref="SweepResults.Importance"/>).</summary>
/// <param name="Name">The parameter's dotted name.</param>
/// <param name="Importance">Share of the summed between-bin variance, in [0, 1]; all parameters sum to 1 unless all are 0.</param>
public sealed record ParameterImportance(string Name, double Importance);
