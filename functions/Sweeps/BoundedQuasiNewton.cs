namespace Serverless.Sweeps;

/// <summary>
/// A small box-constrained quasi-Newton minimiser: BFGS updates of the inverse Hessian, steps projected
/// onto the box, backtracking (Armijo) line search. Enough for the handful of GP hyperparameters; it
/// never throws and always returns the best point it evaluated.
/// </summary>
internal static class BoundedQuasiNewton
{
    public static (double[] Point, double Value) Minimize(
        Func<double[], (double Value, double[] Gradient)> objective, double[] start, double[] lower, double[] upper, int maxIterations)
    {
        var n = start.Length;
        var x = Project(start, lower, upper);
        var (fx, gx) = objective(x);
        var best = ((double[])x.Clone(), fx);
        var h = Identity(n);
        for (var iter = 0; iter < maxIterations; iter++)
        {
            // Variables pinned at a bound with the gradient pushing outwards are left out of the step.
            var direction = new double[n];
            for (var i = 0; i < n; i++)
            {
                for (var j = 0; j < n; j++)
                {
                    direction[i] -= h[i, j] * gx[j];
                }
            }

            for (var i = 0; i < n; i++)
            {
                if ((x[i] <= lower[i] && direction[i] < 0) || (x[i] >= upper[i] && direction[i] > 0))
                {
                    direction[i] = 0;
                }
            }

            var slope = Dot(direction, gx);
            if (slope >= 0)
            {
                // Not a descent direction: fall back to steepest descent and forget curvature.
                h = Identity(n);
                for (var i = 0; i < n; i++)
                {
                    direction[i] = -gx[i];
                }

                slope = -Dot(gx, gx);
                if (slope > -1e-12)
                {
                    break;
                }
            }

            var step = 1.0;
            double[] xNew;
            double fNew;
            double[] gNew;
            var accepted = false;
            do
            {
                xNew = new double[n];
                for (var i = 0; i < n; i++)
                {
                    xNew[i] = x[i] + (step * direction[i]);
                }

                xNew = Project(xNew, lower, upper);
                (fNew, gNew) = objective(xNew);
                if (fNew <= fx + (1e-4 * step * slope) && double.IsFinite(fNew))
                {
                    accepted = true;
                    break;
                }

                step *= 0.3;
            }
            while (step > 1e-6);

            if (!accepted)
            {
                break;
            }

            if (fNew < best.Item2)
            {
                best = ((double[])xNew.Clone(), fNew);
            }

            var s = new double[n];
            var y = new double[n];
            for (var i = 0; i < n; i++)
            {
                s[i] = xNew[i] - x[i];
                y[i] = gNew[i] - gx[i];
            }

            var improvement = fx - fNew;
            x = xNew;
            fx = fNew;
            gx = gNew;
            if (improvement < 1e-7 * Math.Max(1, Math.Abs(fx)))
            {
                break;
            }

            var sy = Dot(s, y);
            if (sy > 1e-10)
            {
                UpdateInverseHessian(h, s, y, sy);
            }
        }

        return best;
    }

    private static void UpdateInverseHessian(double[,] h, double[] s, double[] y, double sy)
    {
        var n = s.Length;
        var hy = new double[n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                hy[i] += h[i, j] * y[j];
            }
        }

        var yhy = Dot(y, hy);
        var rho = 1 / sy;
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                h[i, j] += (((1 + (rho * yhy)) * s[i] * s[j]) - (hy[i] * s[j]) - (s[i] * hy[j])) * rho;
            }
        }
    }

    private static double[] Project(double[] x, double[] lower, double[] upper)
    {
        var p = new double[x.Length];
        for (var i = 0; i < x.Length; i++)
        {
            p[i] = Math.Clamp(x[i], lower[i], upper[i]);
        }

        return p;
    }

    private static double[,] Identity(int n)
    {
        var h = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            h[i, i] = 1;
        }

        return h;
    }

    private static double Dot(double[] a, double[] b)
    {
        var s = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            s += a[i] * b[i];
        }

        return s;
    }
}
