namespace Serverless.Sweeps;

/// <summary>
/// Tree-structured Parzen estimator, univariate as in Optuna's default: after
/// <see cref="TpeOptions.StartupTrials"/> random trials the scored trials are split into a "good" group
/// (the best <see cref="TpeOptions.Gamma"/>(n)) and the rest; for each parameter a Parzen density l(x) is
/// fitted to the good group and g(x) to the rest, <see cref="TpeOptions.EiCandidates"/> candidates are
/// drawn from l, and the one with the largest l(x)/g(x) is chosen. Running trials join the bad group
/// (Optuna's constant liar), so parallel suggestions avoid each other; failed trials count as the worst value,
/// and trials stopped early rank after those that completed.
/// </summary>
public sealed class TpeSampler : SamplerBase
{
    private readonly TpeOptions _options;

    /// <summary>Creates a TPE sampler.</summary>
    public TpeSampler(SweepConfig config, TpeOptions? options = null)
        : base(config)
    {
        _options = options ?? new TpeOptions();
    }

    /// <inheritdoc />
    protected override long Salt => 0x7E;

    /// <inheritdoc />
    protected override ParameterSet SuggestOne(SweepState history, SweepRandom random)
    {
        var obs = new Observations(history, Config.Metric);
        if (obs.FinishedCount < _options.StartupTrials)
        {
            return SampleIndependently(random);
        }

        var (below, above) = Split(obs, _options.Gamma);

        if (_options.Multivariate)
        {
            return SuggestJoint(below, above, random);
        }

        var values = new List<KeyValuePair<string, object?>>();
        foreach (var p in Config.Parameters)
        {
            object? value = p.Kind switch
            {
                DistributionKind.Constant => p.Value,
                DistributionKind.Categorical => SuggestCategorical(p, below, above, random),
                _ => SuggestNumeric(p, below, above, random),
            };
            values.Add(new(p.Name, value));
        }

        return new ParameterSet(values);
    }

    /// <summary>
    /// Optuna's split: the best γ(n) of the n scored trials (lowest loss; maximised metrics are negated first) form
    /// the good group, the rest and every running trial (the constant liar) the bad one; both in trial order, which
    /// the recency weights rely on.
    /// </summary>
    internal static (List<TrialRecord> Below, List<TrialRecord> Above) Split(Observations obs, Func<int, int> gamma)
    {
        // Trials stopped early rank after every trial that ran to the end, as Optuna ranks pruned trials:
        // their last value was measured earlier and is not comparable. Ties go to the earlier trial (Optuna's
        // stable sort), so the split depends only on the history.
        var ranked = obs.Scored
            .OrderBy(s => s.Trial.Status == TrialStatus.Stopped ? 1 : 0)
            .ThenBy(s => s.Loss)
            .ThenBy(s => s.Trial.Number)
            .ToList();
        var nBelow = Math.Clamp(gamma(ranked.Count), 1, ranked.Count);
        var below = ranked.Take(nBelow).Select(s => s.Trial).OrderBy(t => t.Number).ToList();
        var above = ranked.Skip(nBelow).Select(s => s.Trial).Concat(obs.Pending).OrderBy(t => t.Number).ToList();
        return (below, above);
    }

    private ParameterSet SuggestJoint(List<TrialRecord> below, List<TrialRecord> above, SweepRandom random)
    {
        var searchable = Config.Parameters.Where(p => p.Kind != DistributionKind.Constant).ToList();
        var dims = searchable.Select(p =>
        {
            if (p.Kind == DistributionKind.Categorical)
            {
                return new TpeDimension(0, 0, p.Values.Count, [.. Enumerable.Range(0, p.Values.Count).Select(c => Math.Max(p.Probabilities?[c] ?? 1.0 / p.Values.Count, 1e-12))]);
            }

            var (low, high) = p.InternalBounds;
            return new TpeDimension(low, high, 0, [], p.Kind is DistributionKind.IntUniform or DistributionKind.QUniform ? p.Q : null);
        }).ToList();

        // A trial joins the joint model only if every searched parameter has a usable value.
        double[]? Vector(TrialRecord t)
        {
            var x = new double[searchable.Count];
            for (var d = 0; d < searchable.Count; d++)
            {
                var p = searchable[d];
                if (!t.Parameters.TryGetValue(p.Name, out var v))
                {
                    return null;
                }

                if (p.Kind == DistributionKind.Categorical)
                {
                    var idx = IndexOf(p, v);
                    if (idx < 0)
                    {
                        return null;
                    }

                    x[d] = idx;
                }
                else
                {
                    if (v is null or string or bool)
                    {
                        return null;
                    }

                    x[d] = Math.Clamp(p.Encode(v), dims[d].Low, dims[d].High);
                }
            }

            return x;
        }

        // As in Optuna, the recency weights are computed over the trials that enter the model, in trial order.
        MultivariateParzenEstimator Fit(List<TrialRecord> trials)
        {
            var xs = trials.Select(Vector).OfType<double[]>().ToList();
            return new MultivariateParzenEstimator(dims, xs, RecencyWeights(xs.Count), _options.PriorWeight, _options.BandwidthWeightedDensity);
        }

        var l = Fit(below);
        var g = Fit(above);
        object?[]? best = null;
        var bestScore = double.NegativeInfinity;
        for (var i = 0; i < _options.EiCandidates; i++)
        {
            var x = l.Sample(random);
            var decoded = new object?[searchable.Count];
            for (var d = 0; d < searchable.Count; d++)
            {
                var p = searchable[d];
                if (p.Kind == DistributionKind.Categorical)
                {
                    decoded[d] = p.Values[(int)x[d]];
                }
                else
                {
                    decoded[d] = p.Decode(x[d]);

                    // Score the value that would actually run (after rounding).
                    x[d] = Math.Clamp(p.Encode(decoded[d]), dims[d].Low, dims[d].High);
                }
            }

            var score = l.LogPdf(x) - g.LogPdf(x);
            if (score > bestScore)
            {
                bestScore = score;
                best = decoded;
            }
        }

        var values = new List<KeyValuePair<string, object?>>();
        foreach (var p in Config.Parameters)
        {
            values.Add(new(p.Name, p.Kind == DistributionKind.Constant ? p.Value : best![searchable.IndexOf(p)]));
        }

        return new ParameterSet(values);
    }

    // Optuna's default weights, used for both groups: flat for the newest 25 trials, and once there are more,
    // the older ones ramp linearly from 1/n (oldest) up towards 1.
    internal static double[] RecencyWeights(int n)
    {
        var w = new double[n];
        const int Flat = 25;
        for (var i = 0; i < n; i++)
        {
            if (n <= Flat || i >= n - Flat)
            {
                w[i] = 1;
            }
            else
            {
                var rampCount = n - Flat;
                w[i] = rampCount == 1 ? 1.0 / n : (1.0 / n) + ((1 - (1.0 / n)) * i / (rampCount - 1));
            }
        }

        return w;
    }

    private object SuggestNumeric(ParameterSpec p, List<TrialRecord> below, List<TrialRecord> above, SweepRandom random)
    {
        var (low, high) = p.InternalBounds;
        double? step = p.Kind is DistributionKind.IntUniform or DistributionKind.QUniform ? p.Q : null;
        var belowX = Collect(p, below, low, high);
        var aboveX = Collect(p, above, low, high);
        var l = new ParzenEstimator(belowX, RecencyWeights(belowX.Count), low, high, _options.PriorWeight, _options.BandwidthWeightedDensity);
        var g = new ParzenEstimator(aboveX, RecencyWeights(aboveX.Count), low, high, _options.PriorWeight, _options.BandwidthWeightedDensity);

        object? best = null;
        var bestScore = double.NegativeInfinity;
        for (var i = 0; i < _options.EiCandidates; i++)
        {
            var candidate = p.Decode(l.Sample(random));

            // Score the value that would actually run (after rounding). Integer and stepped uniform parameters
            // score the probability of the value's grid cell, as Optuna does; the rest the density.
            var x = Math.Clamp(p.Encode(candidate), low, high);
            var score = step is { } q ? l.LogMass(x, q) - g.LogMass(x, q) : l.LogPdf(x) - g.LogPdf(x);
            if (score > bestScore)
            {
                bestScore = score;
                best = candidate;
            }
        }

        return best!;
    }

    // The trial's values of one parameter in trial order; trials without a usable value (the parameter was
    // added later, or is conditional) are left out before the recency weights are computed, as in Optuna.
    private static List<double> Collect(ParameterSpec p, List<TrialRecord> trials, double low, double high)
    {
        var xs = new List<double>(trials.Count);
        foreach (var t in trials)
        {
            if (t.Parameters.TryGetValue(p.Name, out var v) && v is not null and not string and not bool)
            {
                xs.Add(Math.Clamp(p.Encode(v), low, high));
            }
        }

        return xs;
    }

    private object? SuggestCategorical(ParameterSpec p, List<TrialRecord> below, List<TrialRecord> above, SweepRandom random)
    {
        var l = CategoricalDensity(p, below, _options.PriorWeight);
        var g = CategoricalDensity(p, above, _options.PriorWeight);
        var bestIndex = 0;
        var bestScore = double.NegativeInfinity;
        for (var i = 0; i < _options.EiCandidates; i++)
        {
            var c = random.NextWeighted(l);
            var score = Math.Log(l[c]) - Math.Log(g[c]);
            if (score > bestScore)
            {
                bestScore = score;
                bestIndex = c;
            }
        }

        return p.Values[bestIndex];
    }

    /// <summary>
    /// The categorical mixture of one group, like Optuna's: one kernel per trial that has a value (its choice plus
    /// prior_weight/(n+1) smoothing over all choices, see <see cref="MultivariateParzenEstimator.CategoricalKernel"/>)
    /// with the recency weights, and one prior kernel of weight prior_weight that follows the configured probabilities.
    /// </summary>
    internal static double[] CategoricalDensity(ParameterSpec p, IReadOnlyList<TrialRecord> trials, double priorWeight)
    {
        var k = p.Values.Count;
        var prior = new double[k];
        for (var c = 0; c < k; c++)
        {
            prior[c] = Math.Max(p.Probabilities?[c] ?? 1.0 / k, 1e-12);
        }

        var observed = new List<int>();
        foreach (var t in trials)
        {
            if (t.Parameters.TryGetValue(p.Name, out var v) && IndexOf(p, v) is var idx and >= 0)
            {
                observed.Add(idx);
            }
        }

        var weights = RecencyWeights(observed.Count);
        var mass = new double[k];
        var totalWeight = priorWeight;
        for (var i = 0; i < observed.Count; i++)
        {
            totalWeight += weights[i];
            var row = MultivariateParzenEstimator.CategoricalKernel(prior, observed[i], observed.Count, priorWeight);
            for (var c = 0; c < k; c++)
            {
                mass[c] += weights[i] * row[c];
            }
        }

        for (var c = 0; c < k; c++)
        {
            mass[c] = (mass[c] + (priorWeight * prior[c])) / totalWeight;
        }

        return mass;
    }

    internal static int IndexOf(ParameterSpec p, object? value)
    {
        var key = ParameterSet.FormatValue(value);
        for (var i = 0; i < p.Values.Count; i++)
        {
            if (ParameterSet.FormatValue(p.Values[i]) == key)
            {
                return i;
            }
        }

        return -1;
    }
}
