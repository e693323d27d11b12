namespace Serverless.Sweeps.Tests;

/// <summary>Small objectives and a sequential driver for sampler tests.</summary>
internal static class Objectives
{
    public static SweepConfig Box(SweepMethod method, long seed, int dims = 2, BayesSampler sampler = BayesSampler.Tpe) => new()
    {
        Method = method,
        Sampler = sampler,
        Seed = seed,
        Metric = new SweepMetric("loss"),
        Parameters = [.. Enumerable.Range(0, dims).Select(i => ParameterSpec.Uniform($"x{i}", -5, 5))],
    };

    /// <summary>Sum of squares around 1.3 in every coordinate: minimum 0.</summary>
    public static double Sphere(ParameterSet p) => p.Keys.Sum(k => Math.Pow(p.GetDouble(k) - 1.3, 2));

    /// <summary>Runs <paramref name="trials"/> trials one at a time and returns the final state.</summary>
    public static SweepState Run(ISweepSampler sampler, Func<ParameterSet, double> objective, int trials, SweepState? start = null)
    {
        var state = start ?? SweepState.Empty;
        for (var i = 0; i < trials; i++)
        {
            var p = sampler.Suggest(state, 1)[0];
            state = state.With(new TrialRecord(state.Trials.Count, p, TrialStatus.Completed, objective(p)));
        }

        return state;
    }

    public static double Best(SweepState state) => state.Trials.Where(t => t.HasValue).Min(t => t.Value!.Value);
}
