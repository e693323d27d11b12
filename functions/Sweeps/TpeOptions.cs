namespace Serverless.Sweeps;

/// <summary>
/// Settings of the TPE sampler. The defaults are Optuna 3.1's <c>TPESampler()</c>: 10 start-up trials, 24
/// candidates, prior weight 1, γ(n) = min(⌈0.1·n⌉, 25), and its bandwidth-weighted density (see
/// <see cref="BandwidthWeightedDensity"/>); docs/benchmarks.md compares them with the Optuna 3.1 figures.
/// </summary>
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

    /// <summary>Size of the "good" group given the number of scored trials: min(ceil(0.1·n), 25), Optuna's default.</summary>
    public Func<int, int> Gamma { get; init; } = n => Math.Min((int)Math.Ceiling(0.1 * n), 25);

    /// <summary>
    /// Score candidates the way Optuna 3.1 did (default): its truncated-normal log density omitted the −log σ
    /// of each Gaussian kernel (optuna/optuna#5109, corrected in later releases), so l(x) and g(x) weigh each
    /// kernel in proportion to its bandwidth and the wide prior counts for much more. That makes l/g less
    /// greedy, and it is how the Optuna 3.1 reference figures were produced. False scores with properly
    /// normalised mixtures, as current Optuna does.
    /// </summary>
    public bool BandwidthWeightedDensity { get; init; } = true;
}
