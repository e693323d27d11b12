using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace Serverless.Sweeps;

/// <summary>
/// A Gaussian-process regressor on the unit cube with an ARD Matérn-5/2 kernel and Gaussian noise,
/// targets standardised to mean 0 and variance 1. Hyperparameters (log length-scales, log signal
/// variance, log noise variance) are fitted by maximising the log marginal likelihood with analytic
/// gradients, from a default start and a few seeded random starts.
/// </summary>
internal sealed class GaussianProcess
{
    private static readonly double s_sqrt5 = Math.Sqrt(5);

    // Bounds of the log hyperparameters. Length-scales beyond 20 unit-cube widths are all "flat"; the
    // noise floor keeps Cholesky stable on exact, noiseless objectives.
    private const double LogLengthMin = -4.6;  // 0.01
    private const double LogLengthMax = 3.0;   // 20
    private const double LogSignalMin = -3.0;
    private const double LogSignalMax = 3.0;
    private const double LogNoiseMin = -13.8;  // 1e-6
    private const double LogNoiseMax = 0.0;

    private readonly double[][] _x;
    private readonly int _d;
    private double[] _lengths = [];
    private double _signal;
    private double _noise;
    private double[,] _chol = new double[0, 0];
    private double[] _alpha = [];

    public GaussianProcess(double[][] x, double[] y)
    {
        _x = x;
        _d = x.Length == 0 ? 0 : x[0].Length;
        YMean = y.Average();
        var variance = y.Select(v => (v - YMean) * (v - YMean)).Sum() / Math.Max(1, y.Length);
        YStd = variance > 1e-24 ? Math.Sqrt(variance) : 1.0;
        Y = [.. y.Select(v => (v - YMean) / YStd)];
    }

    public double[] Y { get; }

    public double YMean { get; }

    public double YStd { get; }

    public void Fit(SweepRandom random, int restarts, int iterations)
    {
        var dim = _d + 2;
        var lower = Vector<double>.Build.Dense(dim, i => i < _d ? LogLengthMin : i == _d ? LogSignalMin : LogNoiseMin);
        var upper = Vector<double>.Build.Dense(dim, i => i < _d ? LogLengthMax : i == _d ? LogSignalMax : LogNoiseMax);

        var best = Vector<double>.Build.Dense(dim, i => i < _d ? Math.Log(0.5) : i == _d ? 0.0 : Math.Log(1e-4));
        var bestValue = double.PositiveInfinity;

        // The objective remembers the best point it has seen, so a start that ends in a line-search
        // failure still contributes whatever progress it made.
        (double, Vector<double>) Evaluate(Vector<double> theta)
        {
            var (value, gradient) = NegativeLogMarginalLikelihood(theta);
            if (value < bestValue)
            {
                bestValue = value;
                best = theta.Clone();
            }

            return (value, gradient);
        }

        var starts = new List<Vector<double>> { best.Clone() };
        for (var r = 0; r < restarts; r++)
        {
            starts.Add(Vector<double>.Build.Dense(dim, i => random.NextDouble(lower[i], upper[i]) * (i == dim - 1 ? 0.5 : 1) + (i == dim - 1 ? 0.5 * LogNoiseMin : 0)));
        }

        foreach (var start in starts)
        {
            try
            {
                // MathNet asks for value and gradient separately; both come from one factorisation, so cache it.
                Vector<double>? lastTheta = null;
                (double Value, Vector<double> Gradient) last = default;
                (double, Vector<double>) Cached(Vector<double> v)
                {
                    if (lastTheta is null || !lastTheta.Equals(v))
                    {
                        last = Evaluate(v);
                        lastTheta = v.Clone();
                    }

                    return last;
                }

                var objective = ObjectiveFunction.Gradient(v => Cached(v).Item1, v => Cached(v).Item2);
                var minimizer = new BfgsBMinimizer(1e-5, 1e-6, 1e-7, iterations);
                minimizer.FindMinimum(objective, lower, upper, start);
            }
            catch (Exception ex) when (ex is MaximumIterationsException or OptimizationException or ArgumentException or InvalidOperationException)
            {
                // Keep the best point seen so far; the fit is a heuristic, not a contract.
            }
        }

        SetHyperparameters([.. best]);
    }

    public void SetHyperparameters(IReadOnlyList<double> theta)
    {
        _lengths = [.. Enumerable.Range(0, _d).Select(i => Math.Exp(theta[i]))];
        _signal = Math.Exp(theta[_d]);
        _noise = Math.Exp(theta[_d + 1]);
        var k = Covariance(_lengths, _signal, _noise, null);
        _chol = Cholesky(k) ?? Cholesky(AddJitter(k, 1e-6))!;
        _alpha = SolveCholesky(_chol, Y);
    }

    /// <summary>Posterior mean and standard deviation at <paramref name="point"/>, in standardised units.</summary>
    public (double Mean, double Std) Predict(double[] point)
    {
        var n = _x.Length;
        var kStar = new double[n];
        for (var i = 0; i < n; i++)
        {
            kStar[i] = Kernel(point, _x[i], _lengths, _signal);
        }

        var mean = 0.0;
        for (var i = 0; i < n; i++)
        {
            mean += kStar[i] * _alpha[i];
        }

        var v = ForwardSubstitute(_chol, kStar);
        var variance = _signal;
        foreach (var vi in v)
        {
            variance -= vi * vi;
        }

        return (mean, Math.Sqrt(Math.Max(variance, 1e-12)));
    }

    private (double Value, Vector<double> Gradient) NegativeLogMarginalLikelihood(Vector<double> theta)
    {
        var n = _x.Length;
        var lengths = new double[_d];
        for (var i = 0; i < _d; i++)
        {
            lengths[i] = Math.Exp(theta[i]);
        }

        var signal = Math.Exp(theta[_d]);
        var noise = Math.Exp(theta[_d + 1]);
        var gradK = new double[_d][,];
        for (var i = 0; i < _d; i++)
        {
            gradK[i] = new double[n, n];
        }

        var k = Covariance(lengths, signal, noise, gradK);
        var chol = Cholesky(k);
        if (chol is null)
        {
            return (1e10, Vector<double>.Build.Dense(_d + 2));
        }

        var alpha = SolveCholesky(chol, Y);
        var logDet = 0.0;
        for (var i = 0; i < n; i++)
        {
            logDet += Math.Log(chol[i, i]);
        }

        var dataFit = 0.0;
        for (var i = 0; i < n; i++)
        {
            dataFit += Y[i] * alpha[i];
        }

        var value = (0.5 * dataFit) + logDet + (0.5 * n * Math.Log(2 * Math.PI));

        // dL/dθ = ½ tr((K⁻¹ − ααᵀ) ∂K/∂θ) for the negative log likelihood.
        var kInv = InverseFromCholesky(chol);
        var grad = Vector<double>.Build.Dense(_d + 2);
        for (var p = 0; p < _d; p++)
        {
            var g = gradK[p];
            var sum = 0.0;
            for (var i = 0; i < n; i++)
            {
                for (var j = 0; j < n; j++)
                {
                    sum += (kInv[i, j] - (alpha[i] * alpha[j])) * g[j, i];
                }
            }

            grad[p] = 0.5 * sum;
        }

        var signalSum = 0.0;
        var noiseSum = 0.0;
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var w = kInv[i, j] - (alpha[i] * alpha[j]);
                var kij = i == j ? k[i, j] - noise : k[i, j];
                signalSum += w * kij;
            }

            noiseSum += (kInv[i, i] - (alpha[i] * alpha[i])) * noise;
        }

        grad[_d] = 0.5 * signalSum;
        grad[_d + 1] = 0.5 * noiseSum;
        return (value, grad);
    }

    private double[,] Covariance(double[] lengths, double signal, double noise, double[][,]? gradients)
    {
        var n = _x.Length;
        var k = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            k[i, i] = signal + noise;
            for (var j = 0; j < i; j++)
            {
                var r2 = 0.0;
                for (var d = 0; d < _d; d++)
                {
                    var diff = (_x[i][d] - _x[j][d]) / lengths[d];
                    r2 += diff * diff;
                }

                var r = Math.Sqrt(r2);
                var e = Math.Exp(-s_sqrt5 * r);
                var value = signal * (1 + (s_sqrt5 * r) + (5.0 / 3.0 * r2)) * e;
                k[i, j] = value;
                k[j, i] = value;
                if (gradients is not null)
                {
                    // ∂k/∂log ℓ_d = σ² · 5/3 · (1 + √5 r) · e^{−√5 r} · (Δ_d/ℓ_d)².
                    var common = signal * (5.0 / 3.0) * (1 + (s_sqrt5 * r)) * e;
                    for (var d = 0; d < _d; d++)
                    {
                        var diff = (_x[i][d] - _x[j][d]) / lengths[d];
                        var g = common * diff * diff;
                        gradients[d][i, j] = g;
                        gradients[d][j, i] = g;
                    }
                }
            }
        }

        return k;
    }

    private static double Kernel(double[] a, double[] b, double[] lengths, double signal)
    {
        var r2 = 0.0;
        for (var d = 0; d < a.Length; d++)
        {
            var diff = (a[d] - b[d]) / lengths[d];
            r2 += diff * diff;
        }

        var r = Math.Sqrt(r2);
        return signal * (1 + (s_sqrt5 * r) + (5.0 / 3.0 * r2)) * Math.Exp(-s_sqrt5 * r);
    }

    private static double[,] AddJitter(double[,] k, double jitter)
    {
        var copy = (double[,])k.Clone();
        for (var i = 0; i < copy.GetLength(0); i++)
        {
            copy[i, i] += jitter;
        }

        return copy;
    }

    private static double[,]? Cholesky(double[,] a)
    {
        var n = a.GetLength(0);
        var l = new double[n, n];
        for (var j = 0; j < n; j++)
        {
            var sum = a[j, j];
            for (var k = 0; k < j; k++)
            {
                sum -= l[j, k] * l[j, k];
            }

            if (sum <= 0 || double.IsNaN(sum))
            {
                return null;
            }

            var diag = Math.Sqrt(sum);
            l[j, j] = diag;
            for (var i = j + 1; i < n; i++)
            {
                var s = a[i, j];
                for (var k = 0; k < j; k++)
                {
                    s -= l[i, k] * l[j, k];
                }

                l[i, j] = s / diag;
            }
        }

        return l;
    }

    private static double[] ForwardSubstitute(double[,] l, double[] b)
    {
        var n = b.Length;
        var y = new double[n];
        for (var i = 0; i < n; i++)
        {
            var s = b[i];
            for (var k = 0; k < i; k++)
            {
                s -= l[i, k] * y[k];
            }

            y[i] = s / l[i, i];
        }

        return y;
    }

    private static double[] BackSubstituteTransposed(double[,] l, double[] y)
    {
        var n = y.Length;
        var x = new double[n];
        for (var i = n - 1; i >= 0; i--)
        {
            var s = y[i];
            for (var k = i + 1; k < n; k++)
            {
                s -= l[k, i] * x[k];
            }

            x[i] = s / l[i, i];
        }

        return x;
    }

    private static double[] SolveCholesky(double[,] l, double[] b) => BackSubstituteTransposed(l, ForwardSubstitute(l, b));

    private static double[,] InverseFromCholesky(double[,] l)
    {
        var n = l.GetLength(0);

        // Invert the lower factor, then K⁻¹ = L⁻ᵀ L⁻¹.
        var li = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            li[i, i] = 1 / l[i, i];
            for (var j = 0; j < i; j++)
            {
                var s = 0.0;
                for (var k = j; k < i; k++)
                {
                    s -= l[i, k] * li[k, j];
                }

                li[i, j] = s / l[i, i];
            }
        }

        var inv = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                var s = 0.0;
                for (var k = i; k < n; k++)
                {
                    s += li[k, i] * li[k, j];
                }

                inv[i, j] = s;
                inv[j, i] = s;
            }
        }

        return inv;
    }
}
