namespace Serverless.Sweeps.Tests;

/// <summary>
/// The pieces of the univariate TPE checked against Optuna 3.1's rules on small examples whose expected values are
/// worked out by hand (or, where marked, were computed by Optuna 3.1.0 itself on the same inputs).
/// </summary>
public class TpeFidelityTests
{
    // Standard normal constants (tables): φ(0) = 1/√(2π), Φ(0.5), Φ(1.5).
    private const double Phi0 = 0.3989422804014327;
    private const double Cdf05 = 0.6914624612740131;
    private const double Cdf15 = 0.9331927987311419;

    [Fact]
    public void Defaults_AreOptuna31s()
    {
        var o = new TpeOptions();

        Assert.Equal(10, o.StartupTrials);
        Assert.Equal(24, o.EiCandidates);
        Assert.Equal(1.0, o.PriorWeight);
        Assert.True(o.BandwidthWeightedDensity);
        Assert.False(o.Multivariate);

        // γ(n) = min(⌈0.1 n⌉, 25).
        int[] n = [1, 10, 11, 20, 100, 241, 251, 1000];
        Assert.Equal([1, 1, 2, 2, 10, 25, 25, 25], n.Select(o.Gamma));
    }

    [Fact]
    public void RecencyWeights_UpTo25_AreAllOne()
    {
        Assert.Empty(TpeSampler.RecencyWeights(0));
        Assert.All(TpeSampler.RecencyWeights(25), w => Assert.Equal(1.0, w));
    }

    [Fact]
    public void RecencyWeights_Thirty_RampTheOldestFiveFromOneThirtieth()
    {
        // n = 30: the 5 oldest ramp linearly from 1/30 to 1 in 4 equal steps of (1 − 1/30)/4; the newest 25 are 1.
        var w = TpeSampler.RecencyWeights(30);

        double[] ramp = [1.0 / 30, 0.275, 0.5166666666666667, 0.7583333333333333, 1.0];
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(ramp[i], w[i], 12);
        }

        Assert.All(w.Skip(5), x => Assert.Equal(1.0, x));
    }

    [Fact]
    public void RecencyWeights_TwentySix_OldestGetsOneOverN()
    {
        var w = TpeSampler.RecencyWeights(26);

        Assert.Equal(1.0 / 26, w[0], 12);
        Assert.All(w.Skip(1), x => Assert.Equal(1.0, x));
    }

    [Fact]
    public void Bandwidths_NeighbourGapsWithPrior_EndsUseInnerGap_MagicClip()
    {
        // Range [0, 10], nine observations; the prior sits at 5. Sorted centres 3, 4.5, 5(prior), 6, 6.5, 7, 7.5,
        // 8, 8.5, 9.5. Each takes the larger gap to its neighbours; the first and last take only their inner gap
        // (3 → 1.5, not 3; 9.5 → 1); ten kernels clip from below at 10/11.
        double[] obs = [3, 4.5, 6, 6.5, 7, 7.5, 8, 8.5, 9.5];
        var pe = new ParzenEstimator(obs, [.. obs.Select(_ => 1.0)], 0, 10, 1.0);

        var clip = 10.0 / 11;
        double[] expected = [1.5, 1.5, 1, clip, clip, clip, clip, 1, 1, 10];
        Assert.Equal(expected.Length, pe.Sigmas.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], pe.Sigmas[i], 12);
        }

        Assert.Equal(5.0, pe.Mus[^1]);
        Assert.All(pe.Weights, w => Assert.Equal(0.1, w, 12));
    }

    [Fact]
    public void Bandwidths_TwoObservations_ClipToRangeOverFour()
    {
        // [0, 1], observations 0.2 and 0.7, prior 0.5: 0.2 is first (inner gap 0.3), 0.7 last (inner gap 0.2,
        // raised to the clip 1/(1+3) = 0.25); the prior's sigma is the whole range.
        var pe = new ParzenEstimator([0.2, 0.7], [1, 1], 0, 1, 1.0);

        Assert.Equal([0.3, 0.25, 1.0], pe.Sigmas.Select(s => Math.Round(s, 12)));
    }

    [Fact]
    public void PriorWeight_EntersTheMixtureWeights()
    {
        var pe = new ParzenEstimator([0.2, 0.7], [1, 0.5], 0, 1, 2.0);

        Assert.Equal([1 / 3.5, 0.5 / 3.5, 2 / 3.5], pe.Weights, new Near());
    }

    [Fact]
    public void LogPdf_OneObservation_HandValues()
    {
        // One observation at 0.5 on [0, 1]: its gap to the prior (also at 0.5) is 0, clipped to 1/3; the prior has
        // sigma 1. At x = 0.5 both kernels are at z = 0, truncated to ±1.5 and ±0.5 standard deviations.
        var z1 = (2 * Cdf15) - 1;
        var z2 = (2 * Cdf05) - 1;

        // Optuna 3.1: each kernel's density without its 1/σ.
        var bandwidthWeighted = new ParzenEstimator([0.5], [1], 0, 1, 1.0, bandwidthWeighted: true);
        Assert.Equal(Math.Log(0.5 * Phi0 * ((1 / z1) + (1 / z2))), bandwidthWeighted.LogPdf(0.5), 10);

        // A proper mixture of truncated normals.
        var normalised = new ParzenEstimator([0.5], [1], 0, 1, 1.0, bandwidthWeighted: false);
        Assert.Equal(Math.Log(0.5 * Phi0 * ((3 / z1) + (1 / z2))), normalised.LogPdf(0.5), 10);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LogPdf_Integral_IsOneOrTheWeightedBandwidths(bool bandwidthWeighted)
    {
        // Normalised kernels integrate to 1 over the bounds; Optuna 3.1's integrate to Σ wᵢσᵢ (here (0.3 + 0.25 + 1)/3).
        var pe = new ParzenEstimator([0.2, 0.7], [1, 1], 0, 1, 1.0, bandwidthWeighted);

        const int Steps = 20_000;
        var integral = 0.0;
        for (var i = 0; i < Steps; i++)
        {
            integral += Math.Exp(pe.LogPdf((i + 0.5) / Steps)) / Steps;
        }

        Assert.Equal(bandwidthWeighted ? 1.55 / 3 : 1.0, integral, 6);
    }

    [Fact]
    public void LogPdf_MatchesOptuna310_OnARecordedHistory()
    {
        // Fifteen random Hartmann6 trials (parameter x0 and the objective) recorded from Optuna 3.1.0, and the log
        // densities its `_ParzenEstimator` gave for the good (l) and bad (g) groups at six points.
        double[] x0 = [0.417022, 0.18626, 0.204452, 0.140387, 0.876389, 0.098347, 0.686501, 0.280444, 0.287775, 0.491573, 0.012457, 0.440328, 0.372043, 0.638886, 0.336476];
        double[] f = [-1.171921, -1.255275, -0.097198, -0.162249, -0.02968, -0.068033, -0.000479, -0.716418, -0.140691, -0.655271, -0.295785, -0.882792, -0.26513, -0.134914, -0.354324];
        double[] at = [0, 0.05, 0.2, 0.5, 0.9, 1.0];
        double[] optunaLogL = [-0.750366, -0.672412, -0.509255, -0.581151, -1.063241, -1.149997];
        double[] optunaLogG = [-1.986533, -1.850399, -1.746215, -1.769860, -2.058827, -2.250262];

        var state = new SweepState(x0.Select((x, i) => new TrialRecord(i, new ParameterSet([new("x0", x)]), TrialStatus.Completed, f[i])));
        var (below, above) = TpeSampler.Split(new Observations(state, new SweepMetric("f")), new TpeOptions().Gamma);
        ParzenEstimator Fit(List<TrialRecord> group)
        {
            var xs = group.Select(t => t.Parameters.GetDouble("x0")).ToList();
            return new ParzenEstimator(xs, TpeSampler.RecencyWeights(xs.Count), 0, 1, 1.0, bandwidthWeighted: true);
        }

        var l = Fit(below);
        var g = Fit(above);

        Assert.Equal([0, 1], below.Select(t => t.Number));
        for (var i = 0; i < at.Length; i++)
        {
            Assert.Equal(optunaLogL[i], l.LogPdf(at[i]), 2e-6);
            Assert.Equal(optunaLogG[i], g.LogPdf(at[i]), 2e-6);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LogMass_OverAnIntegerRange_SumsToOne(bool bandwidthWeighted)
    {
        // An integer parameter in [1, 5] lives on [0.5, 5.5]; the cells of its five values cover it exactly, so
        // their probabilities must add up to 1 whatever the kernels.
        var pe = new ParzenEstimator([2, 2, 4], [1, 1, 1], 0.5, 5.5, 1.0, bandwidthWeighted);

        var total = Enumerable.Range(1, 5).Sum(k => Math.Exp(pe.LogMass(k, 1)));

        Assert.Equal(1.0, total, 10);
        Assert.True(pe.LogMass(2, 1) > pe.LogMass(5, 1));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void MultivariateLogPdf_IntegerGrid_SumsToOne(bool bandwidthWeighted)
    {
        // Two integer parameters, 1–3 and 1–4 (ranges widened by ½): every kernel's product of cell probabilities
        // sums to 1 over the 12 grid points, so the mixture does too.
        TpeDimension[] dims = [new(0.5, 3.5, 0, [], 1), new(0.5, 4.5, 0, [], 1)];
        var pe = new MultivariateParzenEstimator(dims, [[1, 4], [2, 2], [3, 1]], [1, 1, 1], 1.0, bandwidthWeighted);

        var total = 0.0;
        for (var a = 1; a <= 3; a++)
        {
            for (var b = 1; b <= 4; b++)
            {
                total += Math.Exp(pe.LogPdf([a, b]));
            }
        }

        Assert.Equal(1.0, total, 10);
    }

    [Fact]
    public void CategoricalKernel_SmoothingShrinksWithObservations()
    {
        // Uniform prior over 3 choices, prior weight 1: each choice gets 1/(n+1) before the row is normalised.
        // n = 2: [1 + 1/3, 1/3, 1/3] / 2. n = 9: [1.1, 0.1, 0.1] / 1.3.
        Assert.Equal([2.0 / 3, 1.0 / 6, 1.0 / 6], MultivariateParzenEstimator.CategoricalKernel([1.0 / 3, 1.0 / 3, 1.0 / 3], 0, 2, 1.0), new Near());
        Assert.Equal([0.1 / 1.3, 1.1 / 1.3, 0.1 / 1.3], MultivariateParzenEstimator.CategoricalKernel([1.0 / 3, 1.0 / 3, 1.0 / 3], 1, 9, 1.0), new Near());
    }

    [Fact]
    public void CategoricalDensity_TwoTrials_HandValues()
    {
        // Two trials chose "a": kernels [2/3, 1/6, 1/6] each, plus the uniform prior kernel, equal weights:
        // (2·[2/3, 1/6, 1/6] + [1/3, 1/3, 1/3]) / 3 = [5/9, 2/9, 2/9].
        var p = ParameterSpec.Categorical("opt", ["a", "b", "c"]);
        TrialRecord T(int n, string v) => new(n, new ParameterSet([new("opt", v)]), TrialStatus.Completed, 0);

        var density = TpeSampler.CategoricalDensity(p, [T(0, "a"), T(1, "a")], 1.0);

        Assert.Equal([5.0 / 9, 2.0 / 9, 2.0 / 9], density, new Near());
    }

    [Fact]
    public void Split_Minimise_BestTenPercentBelow_RunningAbove_TrialOrder()
    {
        // 12 completed trials (loss = 12 − number, so the newest are best) and 2 running: γ(12) = 2 counts only the
        // scored trials; the running ones join the bad group (constant liar).
        var trials = Enumerable.Range(0, 12).Select(i => Completed(i, 12 - i)).ToList();
        trials.Add(new TrialRecord(12, Params(12), TrialStatus.Running));
        trials.Add(new TrialRecord(13, Params(13), TrialStatus.Running));

        var (below, above) = TpeSampler.Split(new Observations(new SweepState(trials), new SweepMetric("loss")), new TpeOptions().Gamma);

        Assert.Equal([10, 11], below.Select(t => t.Number));
        Assert.Equal([.. Enumerable.Range(0, 10), 12, 13], above.Select(t => t.Number));
    }

    [Fact]
    public void Split_Maximise_TakesTheLargestValues()
    {
        var trials = Enumerable.Range(0, 12).Select(i => Completed(i, i == 3 ? 100 : i == 7 ? 50 : i)).ToList();

        var (below, _) = TpeSampler.Split(new Observations(new SweepState(trials), new SweepMetric("acc", MetricGoal.Maximize)), new TpeOptions().Gamma);

        Assert.Equal([3, 7], below.Select(t => t.Number));
    }

    [Fact]
    public void Split_Ties_GoToTheEarlierTrial()
    {
        // Trials 4, 6 and 9 share the best loss; γ(11) = 2 takes the two earliest of them.
        var trials = Enumerable.Range(0, 11).Select(i => Completed(i, i is 4 or 6 or 9 ? 0 : 1)).ToList();

        var (below, above) = TpeSampler.Split(new Observations(new SweepState(trials), new SweepMetric("loss")), new TpeOptions().Gamma);

        Assert.Equal([4, 6], below.Select(t => t.Number));
        Assert.Contains(above, t => t.Number == 9);
    }

    [Fact]
    public void Tpe_BeforeTenFinishedTrials_SamplesAtRandom_RunningDoNotCount()
    {
        // Nine finished trials all at x ≈ 0.01 with the best values, plus running ones: still the start-up phase,
        // so suggestions are uniform, not drawn towards 0.01.
        var config = new SweepConfig { Seed = 3, Metric = new SweepMetric("loss"), Parameters = [ParameterSpec.Uniform("x", 0, 1)] };
        var trials = Enumerable.Range(0, 9).Select(i => new TrialRecord(i, new ParameterSet([new("x", 0.01)]), TrialStatus.Completed, -1.0)).ToList();
        trials.Add(new TrialRecord(9, new ParameterSet([new("x", 0.01)]), TrialStatus.Running));
        var state = new SweepState(trials);

        var xs = Enumerable.Range(0, 200)
            .Select(s => new TpeSampler(config with { Seed = s }).Suggest(state, 1)[0].GetDouble("x"))
            .ToList();

        Assert.InRange(xs.Count(x => x > 0.5), 70, 130);
    }

    private static ParameterSet Params(int i) => new([new("x", i / 20.0)]);

    private static TrialRecord Completed(int number, double value) => new(number, Params(number), TrialStatus.Completed, value);

    private sealed class Near : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) < 1e-12;

        public int GetHashCode(double obj) => 0;
    }
}
