namespace Serverless.Sweeps.Tests;

public class EarlyStoppingTests
{
    private static TrialProgress Trial(int number, TrialStatus status, params double[] values) =>
        new(number, status, [.. values.Select((v, i) => new MetricPoint(i + 1, v))]);

    [Fact]
    public void HyperbandRungs_FollowWandbDefinitions()
    {
        Assert.Equal([3, 9, 27, 81], new HyperbandConfig { MinIter = 3 }.Rungs().Take(4));
        Assert.Equal([3, 9], new HyperbandConfig { MaxIter = 27, S = 2 }.Rungs());
        Assert.Equal([1, 2], new HyperbandConfig { MaxIter = 5, S = 2, Eta = 2 }.Rungs());
        Assert.Empty(new HyperbandConfig { MaxIter = 2, S = 1, Eta = 3 }.Rungs());
    }

    [Fact]
    public void Hyperband_WandbWorkedExample_StopsTheSameRuns()
    {
        // W&B's documented example: max_iter 5, eta 2, s 2 → rungs [1, 2]; b is stopped at rung 1, c at rung 2.
        var rule = new HyperbandStopper(new HyperbandConfig { MaxIter = 5, Eta = 2, S = 2 }, MetricGoal.Minimize);
        var all = new List<TrialProgress>
        {
            Trial(0, TrialStatus.Completed, 10, 9),
            Trial(1, TrialStatus.Running, 10, 10),
            Trial(2, TrialStatus.Running, 10, 8, 8),
            Trial(3, TrialStatus.Running, 10, 7, 7),
            Trial(4, TrialStatus.Completed, 10, 6, 6),
        };
        Assert.True(rule.Evaluate(all, all[1]).ShouldStop);
        Assert.True(rule.Evaluate(all, all[2]).ShouldStop);
        Assert.False(rule.Evaluate(all, all[3]).ShouldStop);
    }

    [Fact]
    public void Hyperband_BeforeFirstRung_Continues()
    {
        var rule = new HyperbandStopper(new HyperbandConfig { MinIter = 3 }, MetricGoal.Minimize);
        var t = Trial(0, TrialStatus.Running, 50, 40, 30);
        var decision = rule.Evaluate([Trial(1, TrialStatus.Completed, 1, 1, 1, 1, 1), t], t);
        Assert.False(decision.ShouldStop);
        Assert.Contains("no rung reached", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Hyperband_KeepsTopThird_AtARung()
    {
        // Nine trials reached rung 1 with values 1..9; with eta 3 the threshold is the value at index 3 (4.0).
        var rule = new HyperbandStopper(new HyperbandConfig { MinIter = 1, Eta = 3 }, MetricGoal.Minimize);
        var all = Enumerable.Range(0, 9).Select(i => Trial(i, TrialStatus.Running, 100, i + 1)).ToList();
        var stopped = all.Where(t => rule.Evaluate(all, t).ShouldStop).Select(t => t.Number).ToList();
        Assert.Equal([4, 5, 6, 7, 8], stopped);
        Assert.Contains("threshold 4", rule.Evaluate(all, all[8]).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Hyperband_Maximize_KeepsLargestValues()
    {
        var rule = new HyperbandStopper(new HyperbandConfig { MinIter = 1, Eta = 3 }, MetricGoal.Maximize);
        var all = Enumerable.Range(0, 9).Select(i => Trial(i, TrialStatus.Running, 0, i + 1)).ToList();
        Assert.False(rule.Evaluate(all, all[8]).ShouldStop);
        Assert.True(rule.Evaluate(all, all[0]).ShouldStop);
    }

    [Fact]
    public void Hyperband_TrialNotInList_IsComparedWithItself()
    {
        var rule = new HyperbandStopper(new HyperbandConfig { MinIter = 1, Eta = 3 }, MetricGoal.Minimize);
        var others = Enumerable.Range(0, 3).Select(i => Trial(i, TrialStatus.Completed, 5, 1)).ToList();
        Assert.True(rule.Evaluate(others, Trial(9, TrialStatus.Running, 5, 2)).ShouldStop);
        Assert.False(rule.Evaluate(others, Trial(9, TrialStatus.Running, 5, 0.5)).ShouldStop);
    }

    [Fact]
    public void Median_StopsTrialWorseThanMedianOfRunningAverages()
    {
        var rule = new MedianStopper(new MedianStoppingConfig { DelayEvaluation = 2, MinTrials = 3 }, MetricGoal.Minimize);
        var completed = new[]
        {
            Trial(0, TrialStatus.Completed, 4, 3, 2, 1),   // running average at step 3: 3
            Trial(1, TrialStatus.Completed, 6, 5, 4, 3),   // 5
            Trial(2, TrialStatus.Completed, 2, 2, 2, 2),   // 2
        };
        var bad = Trial(3, TrialStatus.Running, 9, 8, 3.5);
        var good = Trial(4, TrialStatus.Running, 9, 8, 2.5);
        var decision = rule.Evaluate([.. completed, bad], bad);
        Assert.True(decision.ShouldStop);
        Assert.Contains("median running average 3", decision.Reason, StringComparison.Ordinal);
        Assert.False(rule.Evaluate([.. completed, good], good).ShouldStop);
    }

    [Fact]
    public void Median_UsesBestSoFar_NotLatestValue()
    {
        var rule = new MedianStopper(new MedianStoppingConfig { MinTrials = 1 }, MetricGoal.Minimize);
        var reference = Trial(0, TrialStatus.Completed, 3, 3, 3);
        var dipped = Trial(1, TrialStatus.Running, 1, 5, 6);
        Assert.False(rule.Evaluate([reference, dipped], dipped).ShouldStop);
    }

    [Fact]
    public void Median_DelayAndMinTrialsAndInterval_Respected()
    {
        var completed = new[] { Trial(0, TrialStatus.Completed, 1, 1, 1, 1), Trial(1, TrialStatus.Completed, 1, 1, 1, 1) };
        var bad = Trial(2, TrialStatus.Running, 9, 9, 9);

        Assert.False(new MedianStopper(new MedianStoppingConfig { DelayEvaluation = 3, MinTrials = 1 }, MetricGoal.Minimize).Evaluate([.. completed, bad], bad).ShouldStop);
        Assert.False(new MedianStopper(new MedianStoppingConfig { MinTrials = 3 }, MetricGoal.Minimize).Evaluate([.. completed, bad], bad).ShouldStop);
        Assert.True(new MedianStopper(new MedianStoppingConfig { MinTrials = 2 }, MetricGoal.Minimize).Evaluate([.. completed, bad], bad).ShouldStop);

        // With interval 2 and no delay, evaluations happen after the 1st, 3rd, 5th… value; the 2nd is skipped.
        var two = Trial(3, TrialStatus.Running, 9, 9);
        var rule = new MedianStopper(new MedianStoppingConfig { EvaluationInterval = 2, MinTrials = 2 }, MetricGoal.Minimize);
        Assert.False(rule.Evaluate([.. completed, two], two).ShouldStop);
        Assert.True(rule.Evaluate([.. completed, bad], bad).ShouldStop);
    }

    [Fact]
    public void Median_RunningTrialsAreNotReferences()
    {
        var rule = new MedianStopper(new MedianStoppingConfig { MinTrials = 1 }, MetricGoal.Minimize);
        var running = Trial(0, TrialStatus.Running, 1, 1);
        var bad = Trial(1, TrialStatus.Running, 9, 9);
        var decision = rule.Evaluate([running, bad], bad);
        Assert.False(decision.ShouldStop);
        Assert.Contains("only 0 completed trials", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Factory_BuildsConfiguredRule()
    {
        var metric = new SweepMetric("loss");
        Assert.IsType<HyperbandStopper>(EarlyStoppers.Create(new SweepConfig { Metric = metric, Hyperband = new HyperbandConfig { MinIter = 1 } }));
        Assert.IsType<MedianStopper>(EarlyStoppers.Create(new SweepConfig { Metric = metric, MedianStopping = new MedianStoppingConfig() }));
        Assert.Null(EarlyStoppers.Create(new SweepConfig { Metric = metric }));
    }
}
