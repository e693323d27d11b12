namespace Serverless.Sweeps.Tests;

public class SamplerTests
{
    public static TheoryData<string> Kinds => ["random", "tpe", "mtpe", "gp"];

    private static ISweepSampler Make(string kind, SweepConfig config) => kind switch
    {
        "random" => new RandomSampler(config with { Method = SweepMethod.Random }),
        "tpe" => new TpeSampler(config with { Method = SweepMethod.Bayes }),
        "mtpe" => new TpeSampler(config with { Method = SweepMethod.Bayes }, new TpeOptions { Multivariate = true }),
        _ => new GpSampler(config with { Method = SweepMethod.Bayes, Sampler = BayesSampler.GaussianProcess }, new GpOptions { Candidates = 200 }),
    };

    private static SweepConfig MixedSpace(long seed) => new()
    {
        Seed = seed,
        Metric = new SweepMetric("loss"),
        Parameters =
        [
            ParameterSpec.LogUniformValues("lr", 1e-4, 1e-1),
            ParameterSpec.IntUniform("layers", 1, 5),
            ParameterSpec.QUniform("dropout", 0, 0.5, 0.1),
            ParameterSpec.Categorical("opt", ["adam", "sgd", "rmsprop"]),
            ParameterSpec.Normal("shift", 0, 1),
            ParameterSpec.Constant("epochs", 3L),
        ],
    };

    private static double MixedObjective(ParameterSet p) =>
        Math.Pow(Math.Log10(p.GetDouble("lr")) + 2.5, 2) + Math.Abs(p.GetDouble("layers") - 3) + p.GetDouble("dropout")
        + ((string)p["opt"]! == "sgd" ? 0 : 1) + (0.1 * Math.Abs(p.GetDouble("shift")));

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Suggest_SameSeedAndHistory_SameSuggestions(string kind)
    {
        var history = Objectives.Run(new RandomSampler(MixedSpace(5)), MixedObjective, 14);
        var a = Make(kind, MixedSpace(11)).Suggest(history, 2);
        var b = Make(kind, MixedSpace(11)).Suggest(history, 2);
        Assert.Equal(a.Select(p => p.CanonicalKey()), b.Select(p => p.CanonicalKey()));
        var other = Make(kind, MixedSpace(12)).Suggest(history, 2);
        Assert.NotEqual(a.Select(p => p.CanonicalKey()), other.Select(p => p.CanonicalKey()));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Suggest_ValuesStayInTheirDomains(string kind)
    {
        var config = MixedSpace(3);
        var state = Objectives.Run(Make(kind, config), MixedObjective, kind == "gp" ? 16 : 30);
        Assert.All(state.Trials, t =>
        {
            var p = t.Parameters;
            Assert.InRange(p.GetDouble("lr"), 1e-4, 1e-1);
            Assert.InRange((long)p["layers"]!, 1, 5);
            var dropout = (double)p["dropout"]!;
            Assert.InRange(dropout, 0, 0.5);
            Assert.Equal(Math.Round(dropout * 10), dropout * 10, 9);
            Assert.Contains(p["opt"], new object?[] { "adam", "sgd", "rmsprop" });
            Assert.Equal(3L, p["epochs"]);
            Assert.True(double.IsFinite(p.GetDouble("shift")));
        });
    }

    [Fact]
    public void Tpe_BeatsRandom_OnASphere_AcrossSeeds()
    {
        // 10 seeds × 60 trials in 4 dimensions: TPE's median best value must be well under random search's.
        var tpeBest = new List<double>();
        var randomBest = new List<double>();
        for (var seed = 1; seed <= 10; seed++)
        {
            tpeBest.Add(Objectives.Best(Objectives.Run(new TpeSampler(Objectives.Box(SweepMethod.Bayes, seed, 4)), Objectives.Sphere, 60)));
            randomBest.Add(Objectives.Best(Objectives.Run(new RandomSampler(Objectives.Box(SweepMethod.Random, seed, 4)), Objectives.Sphere, 60)));
        }

        var tpeMedian = tpeBest.Order().ElementAt(5);
        var randomMedian = randomBest.Order().ElementAt(5);
        Assert.True(tpeMedian < randomMedian / 3, $"TPE median best {tpeMedian:G4} vs random {randomMedian:G4}");
        Assert.True(tpeBest.Zip(randomBest).Count(p => p.First < p.Second) >= 8, "TPE should win on at least 8 of 10 seeds");
    }

    [Fact]
    public void MultivariateTpe_BeatsRandom_OnACorrelatedValley()
    {
        // f = (x0 − x1)² + 0.05·(x0 + x1 − 2)²: a narrow diagonal valley that independent models see poorly.
        static double Valley(ParameterSet p) =>
            Math.Pow(p.GetDouble("x0") - p.GetDouble("x1"), 2) + (0.05 * Math.Pow(p.GetDouble("x0") + p.GetDouble("x1") - 2, 2));
        var wins = 0;
        for (var seed = 1; seed <= 8; seed++)
        {
            var mtpe = Objectives.Best(Objectives.Run(new TpeSampler(Objectives.Box(SweepMethod.Bayes, seed), new TpeOptions { Multivariate = true }), Valley, 50));
            var random = Objectives.Best(Objectives.Run(new RandomSampler(Objectives.Box(SweepMethod.Random, seed)), Valley, 50));
            wins += mtpe < random ? 1 : 0;
        }

        Assert.True(wins >= 7, $"multivariate TPE beat random on {wins} of 8 seeds");
    }

    [Fact]
    public void Gp_FindsSphereMinimumQuickly()
    {
        var state = Objectives.Run(new GpSampler(Objectives.Box(SweepMethod.Bayes, 3, 2, BayesSampler.GaussianProcess), new GpOptions { Candidates = 300 }), Objectives.Sphere, 22);
        var random = Objectives.Run(new RandomSampler(Objectives.Box(SweepMethod.Random, 3, 2)), Objectives.Sphere, 22);
        Assert.True(Objectives.Best(state) < 0.05, $"GP best {Objectives.Best(state):G4}");
        Assert.True(Objectives.Best(state) < Objectives.Best(random) / 5);
    }

    [Theory]
    [InlineData("tpe")]
    [InlineData("mtpe")]
    [InlineData("gp")]
    public void Suggest_ManyAtOnce_SpreadOut(string kind)
    {
        // After the start-up trials, a batch of 4 must not collapse onto one point (constant liar).
        var config = Objectives.Box(SweepMethod.Bayes, 9, 2);
        var history = Objectives.Run(new RandomSampler(config with { Method = SweepMethod.Random }), Objectives.Sphere, 15);
        var batch = Make(kind, config).Suggest(history, 4);
        Assert.Equal(4, batch.Count);
        var points = batch.Select(p => (X: p.GetDouble("x0"), Y: p.GetDouble("x1"))).ToList();
        var minDistance = points.SelectMany((a, i) => points.Skip(i + 1).Select(b => Math.Sqrt(Math.Pow(a.X - b.X, 2) + Math.Pow(a.Y - b.Y, 2)))).Min();
        Assert.True(minDistance > 0.05, $"closest pair of a parallel batch is {minDistance:G3} apart");
    }

    [Fact]
    public void Suggest_BatchEqualsSequentialWithPending()
    {
        // A batch of two is the same as one suggestion, recorded as running, followed by another.
        var config = Objectives.Box(SweepMethod.Bayes, 4, 2);
        var history = Objectives.Run(new RandomSampler(config with { Method = SweepMethod.Random }), Objectives.Sphere, 12);
        var sampler = new TpeSampler(config);
        var batch = sampler.Suggest(history, 2);
        var first = sampler.Suggest(history, 1)[0];
        var second = sampler.Suggest(history.WithPending([first]), 1)[0];
        Assert.Equal(batch.Select(p => p.CanonicalKey()), [first.CanonicalKey(), second.CanonicalKey()]);
    }

    [Theory]
    [InlineData("tpe")]
    [InlineData("mtpe")]
    [InlineData("gp")]
    public void FailedTrials_AreImputedAsWorst_AndSteerAway(string kind)
    {
        // One-dimensional: everything below 0 fails, and failures carry no value of their own.
        var config = new SweepConfig
        {
            Seed = 2,
            Metric = new SweepMetric("loss"),
            Parameters = [ParameterSpec.Uniform("x", -5, 5)],
        };
        var state = SweepState.Empty;
        var random = new RandomSampler(config);
        for (var i = 0; i < 20; i++)
        {
            var p = random.Suggest(state, 1)[0];
            var x = p.GetDouble("x");
            state = state.With(x < 0
                ? new TrialRecord(i, p, TrialStatus.Failed)
                : new TrialRecord(i, p, TrialStatus.Completed, Math.Abs(x - 1)));
        }

        // Random search would put half of its trials in the failing half; the models must learn to avoid it.
        var sampler = Make(kind, config);
        var next = new List<double>();
        var s = state;
        for (var i = 0; i < 30; i++)
        {
            var p = sampler.Suggest(s, 1)[0];
            var x = p.GetDouble("x");
            next.Add(x);
            s = s.With(x < 0 ? new TrialRecord(s.Trials.Count, p, TrialStatus.Failed) : new TrialRecord(s.Trials.Count, p, TrialStatus.Completed, Math.Abs(x - 1)));
        }

        var share = next.Count(x => x >= 0) / (double)next.Count;
        Assert.True(share >= 0.8, $"{share:P0} of suggestions avoided the failing region: {string.Join(", ", next.Select(x => x.ToString("F2", System.Globalization.CultureInfo.InvariantCulture)))}");
    }

    [Fact]
    public void Tpe_StoppedTrials_RankAfterCompletedOnes()
    {
        // Ten completed trials spread over [-5, 5] with loss |x − 4|, plus twenty trials stopped early near
        // x = −4 whose last (early) values look excellent. Ranked like Optuna's pruned trials, the stopped
        // ones cannot enter the good group, so suggestions head for x ≈ 4, not −4.
        var config = new SweepConfig { Seed = 8, Metric = new SweepMetric("loss"), Parameters = [ParameterSpec.Uniform("x", -5, 5)] };
        var trials = new List<TrialRecord>();
        for (var i = 0; i < 10; i++)
        {
            var x = -5 + i;
            trials.Add(new TrialRecord(trials.Count, new ParameterSet([new("x", (double)x)]), TrialStatus.Completed, Math.Abs(x - 4)));
        }

        for (var i = 0; i < 20; i++)
        {
            trials.Add(new TrialRecord(trials.Count, new ParameterSet([new("x", -4 + (0.01 * i))]), TrialStatus.Stopped, -100));
        }

        var sampler = new TpeSampler(config);
        var xs = Enumerable.Range(0, 10).Select(k => sampler.Suggest(new SweepState(trials).WithPending([]), 1)[0].GetDouble("x")).ToList();
        var state = new SweepState(trials);
        var suggestions = new List<double>();
        for (var k = 0; k < 10; k++)
        {
            var p = sampler.Suggest(state, 1)[0];
            suggestions.Add(p.GetDouble("x"));
            state = state.With(new TrialRecord(state.Trials.Count, p, TrialStatus.Completed, Math.Abs(p.GetDouble("x") - 4)));
        }

        Assert.Single(xs.Distinct());
        Assert.True(suggestions.Count(x => x > 0) >= 8, string.Join(", ", suggestions));
    }

    [Fact]
    public void Observations_FailedGetWorstValue_RunningArePending()
    {
        var p = new ParameterSet([new("x", 1.0)]);
        var state = new SweepState(
        [
            new TrialRecord(0, p, TrialStatus.Completed, 2.0),
            new TrialRecord(1, p, TrialStatus.Completed, 5.0),
            new TrialRecord(2, p, TrialStatus.Failed),
            new TrialRecord(3, p, TrialStatus.Running),
        ]);
        var minimise = new Observations(state, new SweepMetric("m"));
        Assert.Equal([2.0, 5.0, 5.0], minimise.Scored.Select(s => s.Loss));
        Assert.Single(minimise.Pending);
        Assert.Equal(1, minimise.ImputedCount);

        // Maximising: losses are negated and the worst is the smallest value.
        var maximise = new Observations(state, new SweepMetric("m", MetricGoal.Maximize));
        Assert.Equal([-2.0, -5.0, -2.0], maximise.Scored.Select(s => s.Loss));
    }

    [Fact]
    public void Random_SuggestionDependsOnTrialNumberOnly()
    {
        var config = MixedSpace(21);
        var sampler = new RandomSampler(config);
        var batch = sampler.Suggest(SweepState.Empty, 3);
        var third = sampler.Suggest(SweepState.Empty.WithPending(batch.Take(2)), 1)[0];
        Assert.Equal(batch[2].CanonicalKey(), third.CanonicalKey());
    }

    [Fact]
    public void Factory_PicksSamplerFromConfig()
    {
        Assert.IsType<RandomSampler>(SweepSamplers.Create(Objectives.Box(SweepMethod.Random, 1)));
        Assert.IsType<TpeSampler>(SweepSamplers.Create(Objectives.Box(SweepMethod.Bayes, 1)));
        Assert.IsType<GpSampler>(SweepSamplers.Create(Objectives.Box(SweepMethod.Bayes, 1, 2, BayesSampler.GaussianProcess)));
        Assert.IsType<TpeSampler>(SweepSamplers.Create(Objectives.Box(SweepMethod.Bayes, 1, 2, BayesSampler.MultivariateTpe)));
        Assert.IsType<GridSampler>(SweepSamplers.Create(new SweepConfig { Method = SweepMethod.Grid, Parameters = [ParameterSpec.IntUniform("n", 1, 3)] }));
    }
}
