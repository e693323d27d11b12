namespace Serverless.Sweeps;

/// <summary>Random search: every parameter drawn from its own distribution, reproducibly from the seed.</summary>
public sealed class RandomSampler(SweepConfig config) : SamplerBase(config)
{
    /// <inheritdoc />
    protected override ParameterSet SuggestOne(SweepState history, SweepRandom random) => SampleIndependently(random);
}
