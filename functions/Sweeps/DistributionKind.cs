namespace Serverless.Sweeps;

/// <summary>
/// The distributions a sweep parameter can follow. Names and semantics follow W&amp;B's sweep
/// configuration (<c>distribution:</c> key) so that pasted configurations mean the same thing.
/// </summary>
public enum DistributionKind
{
    /// <summary>Always the same value (<c>value:</c>).</summary>
    Constant,

    /// <summary>One of a list of values (<c>values:</c>, optionally weighted by <c>probabilities:</c>).</summary>
    Categorical,

    /// <summary>Integers in [min, max], both included.</summary>
    IntUniform,

    /// <summary>Reals in [min, max].</summary>
    Uniform,

    /// <summary>Multiples of q in [min, max].</summary>
    QUniform,

    /// <summary>exp(U) with U uniform in [min, max]: the bounds are natural-log exponents.</summary>
    LogUniform,

    /// <summary>Log-uniform between the values min and max.</summary>
    LogUniformValues,

    /// <summary><see cref="LogUniform"/> rounded to multiples of q.</summary>
    QLogUniform,

    /// <summary><see cref="LogUniformValues"/> rounded to multiples of q.</summary>
    QLogUniformValues,

    /// <summary>exp(−U) with U uniform in [min, max], as W&amp;B defines it.</summary>
    InvLogUniform,

    /// <summary>X whose reciprocal is log-uniform between 1/max and 1/min (the same law as log-uniform on [min, max]).</summary>
    InvLogUniformValues,

    /// <summary>Normal with mean mu and standard deviation sigma.</summary>
    Normal,

    /// <summary><see cref="Normal"/> rounded to multiples of q.</summary>
    QNormal,

    /// <summary>exp(N(mu, sigma)).</summary>
    LogNormal,

    /// <summary><see cref="LogNormal"/> rounded to multiples of q.</summary>
    QLogNormal,
}
