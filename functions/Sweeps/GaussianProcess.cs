namespace Serverless.Sweeps;

/// <summary>
/// A Gaussian-process regressor on the unit cube with an ARD Matérn-5/2 kernel and Gaussian noise,
/// targets standardised to mean 0 and variance 1. Hyperparameters (log length-scales, log signal
/// variance, log noise variance) are fitted by maximising the log marginal likelihood with analytic
/// gradients (<see cref="BoundedQuasiNewton"/>), from a default start and a few seeded random starts.
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
    private double[][] _chol = [];
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
        var lower = new double[dim];
        var upper = new double[dim];
        for (var i = 0; i < dim; i++)
        {
            lower[i] = i < _d ? LogLengthMin : i == _d ? LogSignalMin : LogNoiseMin;
            upper[i] = i < _d ? LogLengthMax : i == _d ? LogSignalMax : LogNoiseMax;
        }

        double[] defaultStart = [.. Enumerable.Range(0, dim).Select(i => i < _d ? Math.Log(0.5) : i == _d ? 0.0 : Math.Log(1e-4))];
        var starts = new List<double[]> { defaultStart };
        for (var r = 0; r < restarts; r++)
        {
            // Random starts: length-scales anywhere in their range, small noise (exact objectives are common).
            starts.Add([.. Enumerable.Range(0, dim).Select(i => i < _d ? random.NextDouble(Math.Log(0.05), Math.Log(2)) : i == _d ? random.NextDouble(-1, 1) : random.NextDouble(LogNoiseMin, -4))]);
        }

        double[]? best = null;
        var bestValue = double.PositiveInfinity;
        foreach (var start in starts)
        {
            var (point, value) = BoundedQuasiNewton.Minimize(NegativeLogMarginalLikelihood, start, lower, upper, iterations);
            if (value < bestValue)
            {
                bestValue = value;
                best = point;
            }
        }

        Theta = best ?? starts[0];
        SetHyperparameters(Theta);
    }

    /// <summary>The fitted log hyperparameters: length-scales, signal variance, noise variance.</summary>
    public IReadOnlyList<double> Theta { get; private set; } = [];

    public void SetHyperparameters(IReadOnlyList<double> theta)
    {
        _lengths = [.. Enumerable.Range(0, _d).Select(i => Math.Exp(theta[i]))];
        _signal = Math.Exp(theta[_d]);
        _noise = Math.Exp(theta[_d + 1]);
        var k = Covariance(_lengths, _signal, _noise);
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

    private (double Value, double[] Gradient) NegativeLogMarginalLikelihood(double[] theta)
    {
        var n = _x.Length;
        var lengths = new double[_d];
        for (var i = 0; i < _d; i++)
        {
            lengths[i] = Math.Exp(theta[i]);
        }

        var signal = Math.Exp(theta[_d]);
        var noise = Math.Exp(theta[_d + 1]);
        var k = Covariance(lengths, signal, noise);
        var chol = Cholesky(k);
        if (chol is null)
        {
            return (1e10, new double[_d + 2]);
        }

        var alpha = SolveCholesky(chol, Y);
        var logDet = 0.0;
        var dataFit = 0.0;
        for (var i = 0; i < n; i++)
        {
            logDet += Math.Log(chol[i][i]);
            dataFit += Y[i] * alpha[i];
        }

        var value = (0.5 * dataFit) + logDet + (0.5 * n * Math.Log(2 * Math.PI));

        // For the negative log likelihood, dL/dθ = ½ tr(W ∂K/∂θ) with W = K⁻¹ − ααᵀ. The kernel
        // derivatives are recomputed pair by pair rather than stored, so memory stays O(n²).
        var kInv = InverseFromCholesky(chol);
        var grad = new double[_d + 2];
        var diffs = new double[_d];
        for (var i = 0; i < n; i++)
        {
            var wii = kInv[i][i] - (alpha[i] * alpha[i]);
            grad[_d] += 0.5 * wii * signal;
            grad[_d + 1] += 0.5 * wii * noise;
            for (var j = 0; j < i; j++)
            {
                var w = kInv[i][j] - (alpha[i] * alpha[j]);
                var r2 = 0.0;
                for (var d = 0; d < _d; d++)
                {
                    var diff = (_x[i][d] - _x[j][d]) / lengths[d];
                    diffs[d] = diff * diff;
                    r2 += diffs[d];
                }

                var r = Math.Sqrt(r2);
                var e = Math.Exp(-s_sqrt5 * r);

                // Off-diagonal pairs appear twice in the trace, hence no ½ below.
                grad[_d] += w * signal * (1 + (s_sqrt5 * r) + (5.0 / 3.0 * r2)) * e;

                // ∂k/∂log ℓ_d = σ² · 5/3 · (1 + √5 r) · e^{−√5 r} · (Δ_d/ℓ_d)².
                var common = w * signal * (5.0 / 3.0) * (1 + (s_sqrt5 * r)) * e;
                for (var d = 0; d < _d; d++)
                {
                    grad[d] += common * diffs[d];
                }
            }
        }

        return (value, grad);
    }

    private double[][] Covariance(double[] lengths, double signal, double noise)
    {
        var n = _x.Length;
        var k = new double[n][];
        for (var i = 0; i < n; i++)
        {
            k[i] = new double[n];
        }

        for (var i = 0; i < n; i++)
        {
            k[i][i] = signal + noise;
            for (var j = 0; j < i; j++)
            {
                var value = Kernel(_x[i], _x[j], lengths, signal);
                k[i][j] = value;
                k[j][i] = value;
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

    private static double[][] AddJitter(double[][] k, double jitter)
    {
        var copy = k.Select(row => (double[])row.Clone()).ToArray();
        for (var i = 0; i < copy.Length; i++)
        {
            copy[i][i] += jitter;
        }

        return copy;
    }

    // Lower Cholesky factor, rows as arrays; null when the matrix is not positive definite.
    private static double[][]? Cholesky(double[][] a)
    {
        var n = a.Length;
        var l = new double[n][];
        for (var i = 0; i < n; i++)
        {
            l[i] = new double[i + 1];
            var li = l[i].AsSpan();
            for (var j = 0; j <= i; j++)
            {
                var s = a[i][j] - Dot(li[..j], l[j].AsSpan(0, j));
                if (i == j)
                {
                    if (s <= 0 || double.IsNaN(s))
                    {
                        return null;
                    }

                    li[j] = Math.Sqrt(s);
                }
                else
                {
                    li[j] = s / l[j][j];
                }
            }
        }

        return l;
    }

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var s = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            s += a[i] * b[i];
        }

        return s;
    }

    // target += factor * source, element by element.
    private static void AddScaled(ReadOnlySpan<double> source, double factor, Span<double> target)
    {
        for (var i = 0; i < target.Length; i++)
        {
            target[i] += factor * source[i];
        }
    }

    private static double[] ForwardSubstitute(double[][] l, double[] b)
    {
        var n = b.Length;
        var y = new double[n];
        for (var i = 0; i < n; i++)
        {
            y[i] = (b[i] - Dot(l[i].AsSpan(0, i), y.AsSpan(0, i))) / l[i][i];
        }

        return y;
    }

    private static double[] BackSubstituteTransposed(double[][] l, double[] y)
    {
        var n = y.Length;
        var x = (double[])y.Clone();
        for (var i = n - 1; i >= 0; i--)
        {
            x[i] /= l[i][i];

            // Column i of Lᵀ is row i of L: subtract its contribution from the rows above.
            var xi = x[i];
            var row = l[i];
            for (var k = 0; k < i; k++)
            {
                x[k] -= row[k] * xi;
            }
        }

        return x;
    }

    private static double[] SolveCholesky(double[][] l, double[] b) => BackSubstituteTransposed(l, ForwardSubstitute(l, b));

    // K⁻¹ = L⁻ᵀ L⁻¹, built as the sum of outer products of the rows of L⁻¹ so every loop runs along rows.
    private static double[][] InverseFromCholesky(double[][] l)
    {
        var n = l.Length;
        var u = new double[n][];
        for (var i = 0; i < n; i++)
        {
            var row = new double[i + 1];
            row[i] = 1;
            for (var k = 0; k < i; k++)
            {
                var factor = l[i][k];
                if (factor != 0)
                {
                    AddScaled(u[k], -factor, row.AsSpan(0, k + 1));
                }
            }

            var inv = 1 / l[i][i];
            for (var k = 0; k <= i; k++)
            {
                row[k] *= inv;
            }

            u[i] = row;
        }

        var result = new double[n][];
        for (var i = 0; i < n; i++)
        {
            result[i] = new double[n];
        }

        for (var k = 0; k < n; k++)
        {
            var row = u[k];
            for (var i = 0; i <= k; i++)
            {
                AddScaled(row.AsSpan(0, i + 1), row[i], result[i].AsSpan(0, i + 1));
            }
        }

        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < i; j++)
            {
                result[j][i] = result[i][j];
            }
        }

        return result;
    }
}
