namespace Serverless.Sweeps;

/// <summary>
/// One parameter as the multivariate TPE models it: a numeric range (with the grid step of integer and stepped
/// parameters, which are scored by the probability of a value's cell), or a number of choices with prior weights.
/// </summary>
internal sealed record TpeDimension(double Low, double High, int Choices, double[] Prior, double? Step = null);
