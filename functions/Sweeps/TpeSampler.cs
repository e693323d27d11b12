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

        // Trials stopped early rank after every trial that ran to the end, as Optuna ranks pruned trials:
        // their last value was measured earlier and is not comparable. Ties go to the earlier trial, so the
        // split depends only on the history.
        var ranked = obs.Scored
            .OrderBy(s => s.Trial.Status == TrialStatus.Stopped ? 1 : 0)
            .ThenBy(s => s.Loss)
            .ThenBy(s => s.Trial.Number)
            .ToList();
        var nBelow = Math.Clamp(_options.Gamma(ranked.Count), 1, ranked.Count);
        var below = ranked.Take(nBelow).Select(s => s.Trial).OrderBy(t => t.Number).ToList();
        var above = ranked.Skip(nBelow).Select(s => s.Trial).Concat(obs.Pending).OrderBy(t => t.Number).ToList();
        var belowWeights = RecencyWeights(below.Count);
        var aboveWeights = RecencyWeights(above.Count);

        if (_options.Multivariate)
        {
            return SuggestJoint(below, belowWeights, above, aboveWeights, random);
        }

        var values = new List<KeyValuePair<string, object?>>();
        foreach (var p in Config.Parameters)
        {
            object? value = p.Kind switch
            {
                DistributionKind.Constant => p.Value,
                DistributionKind.Categorical => SuggestCategorical(p, below, belowWeights, above, aboveWeights, random),
                _ => SuggestNumeric(p, below, belowWeights, above, aboveWeights, random),
            };
            values.Add(new(p.Name, value));
        }

        return new ParameterSet(values);
    }

    private ParameterSet SuggestJoint(List<TrialRecord> below, double[] belowWeights, List<TrialRecord> above, double[] aboveWeights, SweepRandom random)
    {
        var searchable = Config.Parameters.Where(p => p.Kind != DistributionKind.Constant).ToList();
        var dims = searchable.Select(p =>
        {
            if (p.Kind == DistributionKind.Categorical)
            {
                return new TpeDimension(0, 0, p.Values.Count, [.. Enumerable.Range(0, p.Values.Count).Select(c => Math.Max(p.Probabilities?[c] ?? 1.0 / p.Values.Count, 1e-12))]);
            }

            var (low, high) = p.InternalBounds;
            return new TpeDimension(low, high, 0, []);
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

        MultivariateParzenEstimator Fit(List<TrialRecord> trials, double[] weights)
        {
            var xs = new List<double[]>();
            var ws = new List<double>();
            for (var i = 0; i < trials.Count; i++)
            {
                if (Vector(trials[i]) is { } x)
                {
                    xs.Add(x);
                    ws.Add(weights[i]);
                }
            }

            return new MultivariateParzenEstimator(dims, xs, ws, _options.PriorWeight);
        }

        var l = Fit(below, belowWeights);
        var g = Fit(above, aboveWeights);
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

    // Optuna's default weights: flat for the newest 25 trials, a linear ramp down for older ones.
    private static double[] RecencyWeights(int n)
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

    private object SuggestNumeric(ParameterSpec p, List<TrialRecord> below, double[] belowWeights, List<TrialRecord> above, double[] aboveWeights, SweepRandom random)
    {
        var (low, high) = p.InternalBounds;
        var (belowX, belowW) = Collect(p, below, belowWeights, low, high);
        var (aboveX, aboveW) = Collect(p, above, aboveWeights, low, high);
        var l = new ParzenEstimator(belowX, belowW, low, high, _options.PriorWeight);
        var g = new ParzenEstimator(aboveX, aboveW, low, high, _options.PriorWeight);

        object? best = null;
        var bestScore = double.NegativeInfinity;
        for (var i = 0; i < _options.EiCandidates; i++)
        {
            var candidate = p.Decode(l.Sample(random));

            // Score the value that would actually run (after rounding), so quantised parameters compare fairly.
            var x = Math.Clamp(p.Encode(candidate), low, high);
            var score = l.LogPdf(x) - g.LogPdf(x);
            if (score > bestScore)
            {
                bestScore = score;
                best = candidate;
            }
        }

        return best!;
    }

    private static (List<double> X, List<double> W) Collect(ParameterSpec p, List<TrialRecord> trials, double[] weights, double low, double high)
    {
        var xs = new List<double>(trials.Count);
        var ws = new List<double>(trials.Count);
        for (var i = 0; i < trials.Count; i++)
        {
            if (trials[i].Parameters.TryGetValue(p.Name, out var v) && v is not null and not string and not bool)
            {
                xs.Add(Math.Clamp(p.Encode(v), low, high));
                ws.Add(weights[i]);
            }
        }

        return (xs, ws);
    }

    private object? SuggestCategorical(ParameterSpec p, List<TrialRecord> below, double[] belowWeights, List<TrialRecord> above, double[] aboveWeights, SweepRandom random)
    {
        var l = CategoricalDensity(p, below, belowWeights);
        var g = CategoricalDensity(p, above, aboveWeights);
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

    // A mixture like Optuna's: one component per trial (its own choice plus a little prior mass spread
    // over all choices) and one prior component; the prior follows the configured probabilities.
    private double[] CategoricalDensity(ParameterSpec p, List<TrialRecord> trials, double[] weights)
    {
        var k = p.Values.Count;
        var pw = _options.PriorWeight;
        var prior = new double[k];
        for (var c = 0; c < k; c++)
        {
            prior[c] = Math.Max(p.Probabilities?[c] ?? 1.0 / k, 1e-12);
        }

        var mass = new double[k];
        var totalWeight = pw;
        for (var i = 0; i < trials.Count; i++)
        {
            if (!trials[i].Parameters.TryGetValue(p.Name, out var v) || IndexOf(p, v) is not (var idx and >= 0))
            {
                continue;
            }

            totalWeight += weights[i];
            for (var c = 0; c < k; c++)
            {
                mass[c] += weights[i] * (((c == idx) ? 1 : 0) + (pw * prior[c])) / (1 + pw);
            }
        }

        for (var c = 0; c < k; c++)
        {
            mass[c] = (mass[c] + (pw * prior[c])) / totalWeight;
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
