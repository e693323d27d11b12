namespace Serverless.Sweeps;

/// <summary>One parameter as the multivariate TPE models it: a numeric range, or a number of choices with prior weights.</summary>
internal sealed record TpeDimension(double Low, double High, int Choices, double[] Prior);
