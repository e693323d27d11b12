using MathNet.Numerics;

namespace Serverless.Sweeps;

/// <summary>
/// A one-dimensional Parzen estimator on a bounded interval, in the manner of Optuna's univariate TPE:
/// one truncated Gaussian per observation plus a wide prior component (centre of the range, sigma = the
/// whole range); each observation's bandwidth is the larger gap to its neighbours among the sorted centres
/// including the prior's, the two ends taking their inner gap only, clipped to
/// [(high−low)/min(100, 1+kernels), high−low] (the "magic clip").
/// </summary>
/// <remarks>
/// With <c>bandwidthWeighted</c> the log density is the one Optuna 3.1 computed: its truncated-normal
/// log pdf left out the −log σ term (optuna/optuna#5109, fixed after 3.4), so each kernel counts in
/// proportion to its bandwidth and the wide prior weighs far more than in a normalised mixture. Sampling is
/// unaffected. The published Optuna 3.1 figures our targets come from were measured with that behaviour.
/// </remarks>
internal sealed class ParzenEstimator
{
    private const double Sqrt2 = 1.4142135623730951;
    private static readonly double s_logSqrt2Pi = 0.5 * Math.Log(2 * Math.PI);

    private readonly double[] _mus;
    private readonly double[] _sigmas;
    private readonly double[] _weights;
    private readonly double[] _logNormalisers;
    private readonly double _low;
    private readonly double _high;
    private readonly bool _bandwidthWeighted;

    public ParzenEstimator(IReadOnlyList<double> observations, IReadOnlyList<double> observationWeights, double low, double high, double priorWeight, bool bandwidthWeighted = false)
    {
        _bandwidthWeighted = bandwidthWeighted;
        _low = low;
        _high = high;
        var n = observations.Count;
        var span = Math.Max(high - low, 1e-12);
        var mus = new double[n + 1];
        var weights = new double[n + 1];
        for (var i = 0; i < n; i++)
        {
            mus[i] = observations[i];
            weights[i] = observationWeights[i];
        }

        mus[n] = 0.5 * (low + high);
        weights[n] = priorWeight;

        var sigmas = new double[n + 1];
        var order = Enumerable.Range(0, n + 1).OrderBy(i => mus[i]).ThenBy(i => i).ToArray();
        for (var rank = 0; rank < order.Length; rank++)
        {
            var left = rank == 0 ? mus[order[rank]] - low : mus[order[rank]] - mus[order[rank - 1]];
            var right = rank == order.Length - 1 ? high - mus[order[rank]] : mus[order[rank + 1]] - mus[order[rank]];

            // Ends take only their inner gap (Optuna's consider_endpoints=False).
            if (order.Length >= 2 && rank == 0)
            {
                left = right;
            }
            else if (order.Length >= 2 && rank == order.Length - 1)
            {
                right = left;
            }

            sigmas[order[rank]] = Math.Max(left, right);
        }

        var minSigma = span / Math.Min(100.0, 1.0 + (n + 1));
        for (var i = 0; i < sigmas.Length; i++)
        {
            sigmas[i] = Math.Clamp(sigmas[i], minSigma, span);
        }

        sigmas[n] = span;
        var total = weights.Sum();
        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] /= total;
        }

        _mus = mus;
        _sigmas = sigmas;
        _weights = weights;
        _logNormalisers = new double[n + 1];
        for (var i = 0; i <= n; i++)
        {
            var mass = NormalCdf((high - mus[i]) / sigmas[i]) - NormalCdf((low - mus[i]) / sigmas[i]);
            _logNormalisers[i] = Math.Log(Math.Max(mass, 1e-300));
        }
    }

    /// <summary>Draws one point: a component by weight, then its Gaussian truncated to [low, high].</summary>
    public double Sample(SweepRandom random)
    {
        var k = random.NextWeighted(_weights);
        return SampleTruncated(random, _mus[k], _sigmas[k], _low, _high);
    }

    /// <summary>A draw from N(mu, sigma) truncated to [low, high], by inverting the CDF.</summary>
    internal static double SampleTruncated(SweepRandom random, double mu, double sigma, double low, double high)
    {
        var a = NormalCdf((low - mu) / sigma);
        var b = NormalCdf((high - mu) / sigma);
        var u = a + (random.NextDouble() * (b - a));
        u = Math.Clamp(u, 1e-15, 1 - 1e-15);
        var x = mu + (sigma * Sqrt2 * SpecialFunctions.ErfInv((2 * u) - 1));
        return Math.Clamp(x, low, high);
    }

    /// <summary>The kernels' centres (observations in the order given, then the prior), for tests.</summary>
    internal IReadOnlyList<double> Mus => _mus;

    /// <summary>The kernels' bandwidths, in the order of <see cref="Mus"/>.</summary>
    internal IReadOnlyList<double> Sigmas => _sigmas;

    /// <summary>The kernels' normalised weights, in the order of <see cref="Mus"/>.</summary>
    internal IReadOnlyList<double> Weights => _weights;

    /// <summary>Log density of the truncated mixture at <paramref name="x"/> (bandwidth-weighted if so built).</summary>
    public double LogPdf(double x)
    {
        var max = double.NegativeInfinity;
        var terms = new double[_mus.Length];
        for (var i = 0; i < _mus.Length; i++)
        {
            var z = (x - _mus[i]) / _sigmas[i];
            terms[i] = Math.Log(_weights[i]) - (0.5 * z * z) - s_logSqrt2Pi - _logNormalisers[i];
            if (!_bandwidthWeighted)
            {
                terms[i] -= Math.Log(_sigmas[i]);
            }

            max = Math.Max(max, terms[i]);
        }

        var sum = 0.0;
        foreach (var t in terms)
        {
            sum += Math.Exp(t - max);
        }

        return max + Math.Log(sum);
    }

    /// <summary>
    /// Log probability that the mixture puts <paramref name="x"/>'s grid cell, [x − step/2, x + step/2] within the
    /// bounds, as Optuna scores stepped and integer parameters. A probability, not a density, so the kernels'
    /// bandwidths do not enter and <c>bandwidthWeighted</c> plays no part.
    /// </summary>
    public double LogMass(double x, double step)
    {
        var lower = Math.Max(x - (0.5 * step), _low);
        var upper = Math.Min(x + (0.5 * step), _high);
        var sum = 0.0;
        for (var i = 0; i < _mus.Length; i++)
        {
            var mass = GaussMass((lower - _mus[i]) / _sigmas[i], (upper - _mus[i]) / _sigmas[i]);
            sum += _weights[i] * mass / Math.Exp(_logNormalisers[i]);
        }

        return Math.Log(Math.Max(sum, 1e-300));
    }

    // Φ(b) − Φ(a), taken from the tail that keeps precision when both ends lie far on the same side.
    internal static double GaussMass(double a, double b) =>
        a > 0 ? NormalCdf(-a) - NormalCdf(-b) : NormalCdf(b) - NormalCdf(a);

    internal static double NormalCdf(double z) => 0.5 * SpecialFunctions.Erfc(-z / Sqrt2);
}
