namespace Serverless.Sweeps;

/// <summary>The search method (W&amp;B <c>method:</c>).</summary>
public enum SweepMethod
{
    /// <summary>Independent draws from each parameter's distribution.</summary>
    Random,

    /// <summary>Every combination of the discrete parameters' values.</summary>
    Grid,

    /// <summary>Model-based search; <see cref="BayesSampler"/> picks TPE or a Gaussian process.</summary>
    Bayes,
}
