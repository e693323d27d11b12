namespace Serverless.Sweeps;

/// <summary>
/// Gaussian-process Bayesian optimisation with expected improvement, for small budgets. Parameters are
/// mapped to the unit cube (log-scaled ones in log space, categorical ones one-hot), the GP is fitted
/// with an ARD Matérn-5/2 kernel by maximum marginal likelihood, and expected improvement is maximised
/// over random candidates (plus perturbations of the best trials), the best of which are refined by
/// compass search. Running trials are imputed with the mean observed value (a constant liar), which
/// collapses the model's uncertainty there and steers parallel suggestions apart; failed trials count as
/// the worst value.
/// </summary>
public sealed class GpSampler : SamplerBase
{
    private readonly GpOptions _options;
    private readonly List<ParameterSpec> _searchable;
    private readonly int _dimensions;

    /// <summary>Creates a GP sampler.</summary>
    public GpSampler(SweepConfig config, GpOptions? options = null)
        : base(config)
    {
        _options = options ?? new GpOptions();
        _searchable = [.. config.Parameters.Where(p => p.Kind != DistributionKind.Constant)];
        _dimensions = _searchable.Sum(p => p.Kind == DistributionKind.Categorical ? p.Values.Count : 1);
    }

    /// <inheritdoc />
    protected override long Salt => 0x69;

    /// <inheritdoc />
    protected override ParameterSet SuggestOne(SweepState history, SweepRandom random)
    {
        var obs = new Observations(history, Config.Metric);
        if (obs.FinishedCount < _options.StartupTrials || _dimensions == 0)
        {
            return SampleIndependently(random);
        }

        var lie = obs.Scored.Average(s => s.Loss);
        var x = new List<double[]>();
        var y = new List<double>();
        foreach (var (trial, loss) in obs.Scored)
        {
            x.Add(ToUnit(trial.Parameters));
            y.Add(loss);
        }

        foreach (var trial in obs.Pending)
        {
            x.Add(ToUnit(trial.Parameters));
            y.Add(lie);
        }

        var gp = new GaussianProcess([.. x], [.. y]);
        if (x.Count <= _options.MaxFitTrials)
        {
            gp.Fit(random, _options.HyperparameterRestarts, _options.FitIterations);
        }
        else
        {
            var subset = FitSubset(obs, _options.MaxFitTrials);
            var fitting = new GaussianProcess([.. subset.Select(i => x[i])], [.. subset.Select(i => y[i])]);
            fitting.Fit(random, _options.HyperparameterRestarts, _options.FitIterations);
            gp.SetHyperparameters(fitting.Theta);
        }

        var bestObserved = gp.Y.Take(obs.Scored.Count).Min();

        double Score(double[] point)
        {
            var (mean, std) = gp.Predict(point);
            return LogExpectedImprovement(bestObserved, mean, std);
        }

        var candidates = new List<(double[] Point, double Score)>();
        for (var i = 0; i < _options.Candidates; i++)
        {
            var point = RandomPoint(random);
            candidates.Add((point, Score(point)));
        }

        // Local candidates around the best trials: EI's maximum is often just next to them.
        foreach (var (trial, _) in obs.Scored.OrderBy(s => s.Loss).ThenBy(s => s.Trial.Number).Take(3))
        {
            var centre = ToUnit(trial.Parameters);
            for (var i = 0; i < 50; i++)
            {
                var point = Perturb(centre, 0.05, random);
                candidates.Add((point, Score(point)));
            }
        }

        var refined = candidates
            .OrderByDescending(c => c.Score)
            .Take(_options.RefinedCandidates)
            .Select(c => Refine(c.Point, c.Score, Score))
            .OrderByDescending(c => c.Score)
            .First();

        return FromUnit(refined.Point);
    }

    // Indices (into scored-then-pending order) of the trials the hyperparameters are fitted on: the best
    // half by loss, then the most recent of the rest.
    private static List<int> FitSubset(Observations obs, int max)
    {
        var best = Enumerable.Range(0, obs.Scored.Count)
            .OrderBy(i => obs.Scored[i].Loss).ThenBy(i => obs.Scored[i].Trial.Number)
            .Take(max / 2)
            .ToHashSet();
        var total = obs.Scored.Count + obs.Pending.Count;
        var recent = Enumerable.Range(0, total).Reverse().Where(i => !best.Contains(i)).Take(max - best.Count);
        return [.. best.Concat(recent).Order()];
    }

    internal static double LogExpectedImprovement(double best, double mean, double std)
    {
        var z = (best - mean) / std;
        double logH;
        if (z > -6)
        {
            var h = (z * ParzenEstimator.NormalCdf(z)) + NormalPdf(z);
            logH = Math.Log(Math.Max(h, 1e-300));
        }
        else
        {
            // Asymptotic form of zΦ(z)+φ(z) for very negative z, so far-off points still rank by distance.
            logH = (-0.5 * z * z) - (0.5 * Math.Log(2 * Math.PI)) - (2 * Math.Log(-z)) + Math.Log(1 - (3 / (z * z)));
        }

        return Math.Log(std) + logH;
    }

    private static double NormalPdf(double z) => Math.Exp(-0.5 * z * z) / Math.Sqrt(2 * Math.PI);

    // Compass search over the numeric coordinates; categorical one-hot groups stay as they are.
    private (double[] Point, double Score) Refine(double[] start, double startScore, Func<double[], double> score)
    {
        var point = (double[])start.Clone();
        var best = startScore;
        var step = 0.05;
        var numericDims = NumericDimensions();
        while (step > 1e-4 && numericDims.Count > 0)
        {
            var improved = false;
            foreach (var d in numericDims)
            {
                foreach (var sign in (ReadOnlySpan<double>)[1.0, -1.0])
                {
                    var trial = (double[])point.Clone();
                    trial[d] = Math.Clamp(trial[d] + (sign * step), 0, 1);
                    var s = score(trial);
                    if (s > best)
                    {
                        best = s;
                        point = trial;
                        improved = true;
                        break;
                    }
                }
            }

            if (!improved)
            {
                step /= 2;
            }
        }

        return (point, best);
    }

    private List<int> NumericDimensions()
    {
        var dims = new List<int>();
        var offset = 0;
        foreach (var p in _searchable)
        {
            if (p.Kind == DistributionKind.Categorical)
            {
                offset += p.Values.Count;
            }
            else
            {
                dims.Add(offset++);
            }
        }

        return dims;
    }

    private double[] RandomPoint(SweepRandom random)
    {
        var point = new double[_dimensions];
        var offset = 0;
        foreach (var p in _searchable)
        {
            if (p.Kind == DistributionKind.Categorical)
            {
                point[offset + random.NextInt(p.Values.Count)] = 1;
                offset += p.Values.Count;
            }
            else
            {
                point[offset++] = random.NextDouble();
            }
        }

        return point;
    }

    private double[] Perturb(double[] centre, double scale, SweepRandom random)
    {
        var point = (double[])centre.Clone();
        foreach (var d in NumericDimensions())
        {
            point[d] = Math.Clamp(point[d] + (scale * random.NextGaussian()), 0, 1);
        }

        return point;
    }

    private double[] ToUnit(ParameterSet parameters)
    {
        var point = new double[_dimensions];
        var offset = 0;
        foreach (var p in _searchable)
        {
            parameters.TryGetValue(p.Name, out var value);
            if (p.Kind == DistributionKind.Categorical)
            {
                var idx = TpeSampler.IndexOf(p, value);
                if (idx >= 0)
                {
                    point[offset + idx] = 1;
                }

                offset += p.Values.Count;
            }
            else
            {
                var (low, high) = p.InternalBounds;
                var u = value is null or string or bool ? 0.5 : (p.Encode(value) - low) / Math.Max(high - low, 1e-12);
                point[offset++] = Math.Clamp(u, 0, 1);
            }
        }

        return point;
    }

    private ParameterSet FromUnit(double[] point)
    {
        var values = new List<KeyValuePair<string, object?>>();
        var offset = 0;
        foreach (var p in Config.Parameters)
        {
            switch (p.Kind)
            {
                case DistributionKind.Constant:
                    values.Add(new(p.Name, p.Value));
                    break;
                case DistributionKind.Categorical:
                    {
                        var best = 0;
                        for (var i = 1; i < p.Values.Count; i++)
                        {
                            if (point[offset + i] > point[offset + best])
                            {
                                best = i;
                            }
                        }

                        values.Add(new(p.Name, p.Values[best]));
                        offset += p.Values.Count;
                        break;
                    }

                default:
                    {
                        var (low, high) = p.InternalBounds;
                        values.Add(new(p.Name, p.Decode(low + (point[offset++] * (high - low)))));
                        break;
                    }
            }
        }

        return new ParameterSet(values);
    }
}
