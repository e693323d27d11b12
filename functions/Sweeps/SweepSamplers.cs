namespace Serverless.Sweeps;

/// <summary>Builds the sampler a configuration asks for.</summary>
public static class SweepSamplers
{
    /// <summary>The sampler for <paramref name="config"/>'s method (and, for bayes, its sampler choice).</summary>
    public static ISweepSampler Create(SweepConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.Method switch
        {
            SweepMethod.Random => new RandomSampler(config),
            SweepMethod.Grid => new GridSampler(config),
            SweepMethod.Bayes when config.Sampler == BayesSampler.GaussianProcess => new GpSampler(config),
            SweepMethod.Bayes when config.Sampler == BayesSampler.MultivariateTpe => new TpeSampler(config, new TpeOptions { Multivariate = true }),
            SweepMethod.Bayes => new TpeSampler(config),
            _ => throw new ArgumentOutOfRangeException(nameof(config), config.Method, "unknown sweep method"),
        };
    }
}
