namespace Serverless.Sweeps;

/// <summary>Which model drives <see cref="SweepMethod.Bayes"/> (the <c>sampler:</c> key).</summary>
public enum BayesSampler
{
    /// <summary>Tree-structured Parzen estimator (Optuna-style); the default, cheap at any budget.</summary>
    Tpe,

    /// <summary>TPE modelling all parameters jointly (Optuna's multivariate TPE, Katib's <c>multivariate-tpe</c>).</summary>
    MultivariateTpe,

    /// <summary>Gaussian process with expected improvement; best for small budgets (tens of trials).</summary>
    GaussianProcess,
}
