namespace Serverless.Sweeps;

/// <summary>
/// The joint Parzen estimator of Optuna's multivariate TPE: one component per trial, each a product of
/// per-parameter kernels (truncated Gaussians for numeric parameters, a smoothed one-hot for categorical
/// ones), plus a wide prior component. Numeric bandwidths follow Optuna's multivariate rule,
/// 0.2·n^(−1/(d+4))·(high−low), clipped like the univariate estimator. Categorical kernels smooth like
/// Optuna's: each adds prior_weight/(n+1) to every choice before normalising. With <c>bandwidthWeighted</c>
/// the log density leaves out −log σ per numeric kernel, as Optuna 3.1 did (see <see cref="ParzenEstimator"/>).
/// </summary>
internal sealed class MultivariateParzenEstimator
{
    private static readonly double s_logSqrt2Pi = 0.5 * Math.Log(2 * Math.PI);

    private readonly IReadOnlyList<TpeDimension> _dims;
    private readonly double[][] _centres;
    private readonly double[] _logWeights;
    private readonly double[][] _sigmas;
    private readonly double[][] _logNormalisers;
    private readonly double[][][] _categorical;
    private readonly bool _bandwidthWeighted;

    public MultivariateParzenEstimator(IReadOnlyList<TpeDimension> dims, IReadOnlyList<double[]> observations, IReadOnlyList<double> weights, double priorWeight, bool bandwidthWeighted = false)
    {
        _bandwidthWeighted = bandwidthWeighted;
        _dims = dims;
        var n = observations.Count;
        var components = n + 1;
        _centres = new double[components][];
        _sigmas = new double[components][];
        _logNormalisers = new double[components][];
        _categorical = new double[components][][];
        var total = weights.Sum() + priorWeight;
        _logWeights = [.. weights.Select(w => Math.Log(w / total)), Math.Log(priorWeight / total)];

        for (var k = 0; k < components; k++)
        {
            var isPrior = k == n;
            _centres[k] = new double[dims.Count];
            _sigmas[k] = new double[dims.Count];
            _logNormalisers[k] = new double[dims.Count];
            _categorical[k] = new double[dims.Count][];
            for (var d = 0; d < dims.Count; d++)
            {
                var dim = dims[d];
                if (dim.Choices > 0)
                {
                    _categorical[k][d] = isPrior ? dim.Prior : CategoricalKernel(dim.Prior, (int)observations[k][d], n, priorWeight);
                    continue;
                }

                var span = Math.Max(dim.High - dim.Low, 1e-12);
                var sigma = isPrior
                    ? span
                    : Math.Clamp(0.2 * Math.Pow(Math.Max(n, 1), -1.0 / (dims.Count + 4)) * span, span / Math.Min(100.0, 1.0 + components), span);
                var mu = isPrior ? 0.5 * (dim.Low + dim.High) : observations[k][d];
                _centres[k][d] = mu;
                _sigmas[k][d] = sigma;
                var mass = ParzenEstimator.NormalCdf((dim.High - mu) / sigma) - ParzenEstimator.NormalCdf((dim.Low - mu) / sigma);
                _logNormalisers[k][d] = Math.Log(Math.Max(mass, 1e-300));
            }
        }
    }

    public double[] Sample(SweepRandom random)
    {
        var k = random.NextWeighted([.. _logWeights.Select(Math.Exp)]);
        var x = new double[_dims.Count];
        for (var d = 0; d < _dims.Count; d++)
        {
            var dim = _dims[d];
            x[d] = dim.Choices > 0
                ? random.NextWeighted(_categorical[k][d])
                : ParzenEstimator.SampleTruncated(random, _centres[k][d], _sigmas[k][d], dim.Low, dim.High);
        }

        return x;
    }

    public double LogPdf(double[] x)
    {
        var terms = new double[_logWeights.Length];
        var max = double.NegativeInfinity;
        for (var k = 0; k < terms.Length; k++)
        {
            var t = _logWeights[k];
            for (var d = 0; d < _dims.Count; d++)
            {
                if (_dims[d].Choices > 0)
                {
                    t += Math.Log(Math.Max(_categorical[k][d][(int)x[d]], 1e-300));
                }
                else if (_dims[d].Step is { } step)
                {
                    // Integer and stepped parameters: the probability of the value's cell, as Optuna scores them.
                    var lower = (Math.Max(x[d] - (0.5 * step), _dims[d].Low) - _centres[k][d]) / _sigmas[k][d];
                    var upper = (Math.Min(x[d] + (0.5 * step), _dims[d].High) - _centres[k][d]) / _sigmas[k][d];
                    t += Math.Log(Math.Max(ParzenEstimator.GaussMass(lower, upper), 1e-300)) - _logNormalisers[k][d];
                }
                else
                {
                    var z = (x[d] - _centres[k][d]) / _sigmas[k][d];
                    t += (-0.5 * z * z) - s_logSqrt2Pi - _logNormalisers[k][d];
                    if (!_bandwidthWeighted)
                    {
                        t -= Math.Log(_sigmas[k][d]);
                    }
                }
            }

            terms[k] = t;
            max = Math.Max(max, t);
        }

        var sum = 0.0;
        foreach (var t in terms)
        {
            sum += Math.Exp(t - max);
        }

        return max + Math.Log(sum);
    }

    /// <summary>
    /// One observation's kernel over the choices, as Optuna builds it: the observed choice gets 1, every choice
    /// gets prior_weight/(n+1) spread by the prior (uniform prior: exactly prior_weight/(n+1) each), then the row
    /// is normalised. The smoothing shrinks as observations accumulate.
    /// </summary>
    internal static double[] CategoricalKernel(IReadOnlyList<double> prior, int observed, int observationCount, double priorWeight)
    {
        var k = prior.Count;
        var row = new double[k];
        var total = 0.0;
        for (var c = 0; c < k; c++)
        {
            row[c] = (c == observed ? 1 : 0) + (priorWeight * k * prior[c] / (observationCount + 1));
            total += row[c];
        }

        for (var c = 0; c < k; c++)
        {
            row[c] /= total;
        }

        return row;
    }
}
