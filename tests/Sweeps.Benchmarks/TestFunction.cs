namespace Serverless.Sweeps.Benchmarks;

/// <summary>A standard optimisation test function: its box, its known minimum and the regret thresholds reported.</summary>
internal sealed record TestFunction(string Name, double[] Low, double[] High, double Optimum, double[] Thresholds, Func<double[], double> Function)
{
    public int Dimensions => Low.Length;

    public static IReadOnlyList<TestFunction> All { get; } =
    [
        new("Branin", [-5, 0], [10, 15], 0.397887, [1.0, 0.1, 0.01], Branin),
        new("Hartmann3", [0, 0, 0], [1, 1, 1], -3.86278, [0.1, 0.01], Hartmann3),
        new("Hartmann6", [0, 0, 0, 0, 0, 0], [1, 1, 1, 1, 1, 1], -3.32237, [0.5, 0.1], Hartmann6),
        new("Rosenbrock4", [-5, -5, -5, -5], [10, 10, 10, 10], 0, [100, 10], Rosenbrock),
    ];

    public SweepConfig Config(long seed) => new()
    {
        Seed = seed,
        Metric = new SweepMetric("f"),
        Parameters = [.. Enumerable.Range(0, Dimensions).Select(i => ParameterSpec.Uniform($"x{i}", Low[i], High[i]))],
    };

    public double Evaluate(ParameterSet p) => Function([.. Enumerable.Range(0, Dimensions).Select(i => p.GetDouble($"x{i}"))]);

    private static double Branin(double[] x)
    {
        const double A = 1, R = 6, S = 10;
        var b = 5.1 / (4 * Math.PI * Math.PI);
        var c = 5 / Math.PI;
        var t = 1 / (8 * Math.PI);
        var inner = x[1] - (b * x[0] * x[0]) + (c * x[0]) - R;
        return (A * inner * inner) + (S * (1 - t) * Math.Cos(x[0])) + S;
    }

    private static readonly double[] s_alpha = [1.0, 1.2, 3.0, 3.2];

    private static readonly double[,] s_a3 = { { 3, 10, 30 }, { 0.1, 10, 35 }, { 3, 10, 30 }, { 0.1, 10, 35 } };

    private static readonly double[,] s_p3 =
    {
        { 0.3689, 0.1170, 0.2673 }, { 0.4699, 0.4387, 0.7470 }, { 0.1091, 0.8732, 0.5547 }, { 0.0381, 0.5743, 0.8828 },
    };

    private static readonly double[,] s_a6 =
    {
        { 10, 3, 17, 3.5, 1.7, 8 }, { 0.05, 10, 17, 0.1, 8, 14 }, { 3, 3.5, 1.7, 10, 17, 8 }, { 17, 8, 0.05, 10, 0.1, 14 },
    };

    private static readonly double[,] s_p6 =
    {
        { 0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886 },
        { 0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991 },
        { 0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650 },
        { 0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381 },
    };

    private static double Hartmann(double[] x, double[,] a, double[,] p)
    {
        var sum = 0.0;
        for (var i = 0; i < 4; i++)
        {
            var inner = 0.0;
            for (var j = 0; j < x.Length; j++)
            {
                var d = x[j] - p[i, j];
                inner += a[i, j] * d * d;
            }

            sum += s_alpha[i] * Math.Exp(-inner);
        }

        return -sum;
    }

    private static double Hartmann3(double[] x) => Hartmann(x, s_a3, s_p3);

    private static double Hartmann6(double[] x) => Hartmann(x, s_a6, s_p6);

    private static double Rosenbrock(double[] x)
    {
        var sum = 0.0;
        for (var i = 0; i < x.Length - 1; i++)
        {
            var a = x[i + 1] - (x[i] * x[i]);
            var b = 1 - x[i];
            sum += (100 * a * a) + (b * b);
        }

        return sum;
    }
}
