namespace Serverless.Sweeps;

/// <summary>
/// What every sampler shares: suggestions are made one at a time, each with its own random stream
/// derived from the sweep seed and the trial number it will get, and each earlier suggestion of the same
/// call is appended to the history as a running trial before the next one is made.
/// </summary>
public abstract class SamplerBase : ISweepSampler
{
    /// <summary>Creates a sampler for the given configuration.</summary>
    protected SamplerBase(SweepConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
    }

    /// <summary>The sweep configuration.</summary>
    protected SweepConfig Config { get; }

    /// <inheritdoc />
    public IReadOnlyList<ParameterSet> Suggest(SweepState history, int count)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var result = new List<ParameterSet>(count);
        var working = history;
        for (var i = 0; i < count; i++)
        {
            var trialNumber = working.Trials.Count;
            var next = SuggestOne(working, SweepRandom.For(Config.Seed, trialNumber, Salt));
            if (next is null)
            {
                break;
            }

            result.Add(next);
            working = working.WithPending([next]);
        }

        return result;
    }

    /// <summary>Distinguishes the random streams of different samplers built on the same seed.</summary>
    protected virtual long Salt => 0;

    /// <summary>One suggestion given the history (which already includes earlier pending suggestions); null when exhausted.</summary>
    protected abstract ParameterSet? SuggestOne(SweepState history, SweepRandom random);

    /// <summary>A draw of every parameter from its own distribution.</summary>
    protected ParameterSet SampleIndependently(SweepRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return new ParameterSet(Config.Parameters.Select(p => new KeyValuePair<string, object?>(p.Name, p.Sample(random))));
    }
}
