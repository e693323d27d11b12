namespace Serverless.Sweeps;

/// <summary>Settings of the TPE sampler; the defaults are Optuna's.</summary>
public sealed record TpeOptions
{
    /// <summary>Trials drawn at random before the model is used.</summary>
    public int StartupTrials { get; init; } = 10;

    /// <summary>Candidates drawn from the "good" density per parameter, of which the best l/g ratio wins.</summary>
    public int EiCandidates { get; init; } = 24;

    /// <summary>Weight of the prior component in each Parzen estimator.</summary>
    public double PriorWeight { get; init; } = 1.0;

    /// <summary>
    /// Model the parameters jointly (Optuna's <c>multivariate=True</c>) instead of one by one. It captures
    /// interactions between parameters; the default, like Optuna's, is independent.
    /// </summary>
    public bool Multivariate { get; init; }

    /// <summary>
    /// Size of the "good" group given the number of scored trials; Optuna's default
    /// min(ceil(0.1·n), 25).
    /// </summary>
    public Func<int, int> Gamma { get; init; } = n => Math.Min((int)Math.Ceiling(0.1 * n), 25);
}
