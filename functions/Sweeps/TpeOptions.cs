namespace Serverless.Sweeps;

/// <summary>
/// Settings of the TPE sampler. The defaults are Optuna's except two: the "good" group is the best 15 % (Optuna
/// 10 %) and 12 candidates are scored (Optuna 24). Both make the model a little less greedy; chosen on
/// Branin/Hartmann6 seeds 1–60 and confirmed on seeds 101–160 and on Hartmann3/Rosenbrock (docs/benchmarks.md).
/// </summary>
public sealed record TpeOptions
{
    /// <summary>Trials drawn at random before the model is used.</summary>
    public int StartupTrials { get; init; } = 10;

    /// <summary>Candidates drawn from the "good" density per parameter, of which the best l/g ratio wins.</summary>
    public int EiCandidates { get; init; } = 12;

    /// <summary>Weight of the prior component in each Parzen estimator.</summary>
    public double PriorWeight { get; init; } = 1.0;

    /// <summary>
    /// Model the parameters jointly (Optuna's <c>multivariate=True</c>) instead of one by one. It captures
    /// interactions between parameters; the default, like Optuna's, is independent.
    /// </summary>
    public bool Multivariate { get; init; }

    /// <summary>
    /// Size of the "good" group given the number of scored trials: min(ceil(0.15·n), 25) (Optuna's default
    /// uses 0.1).
    /// </summary>
    public Func<int, int> Gamma { get; init; } = n => Math.Min((int)Math.Ceiling(0.15 * n), 25);
}
