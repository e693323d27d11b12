namespace Serverless.Sweeps.Tests;

public class SweepBudgetTests
{
    private static readonly ParameterSet s_p = new([new("x", 1.0)]);

    private static SweepState State(params TrialStatus[] statuses) =>
        new(statuses.Select((s, i) => new TrialRecord(i, s_p, s, s is TrialStatus.Completed ? 1.0 + i : null)));

    private static SweepConfig Config(SweepLimits limits, double? target = null) => new()
    {
        Metric = new SweepMetric("loss", MetricGoal.Minimize, target),
        Parameters = [ParameterSpec.Uniform("x", 0, 1)],
        Limits = limits,
    };

    [Fact]
    public void TrialsToStart_LimitedBySlotsAndRemainingTrials()
    {
        var config = Config(new SweepLimits { MaxTrials = 10, MaxConcurrentTrials = 3 });
        Assert.Equal(3, SweepBudget.TrialsToStart(config, SweepState.Empty, TimeSpan.Zero));
        Assert.Equal(1, SweepBudget.TrialsToStart(config, State(TrialStatus.Running, TrialStatus.Running, TrialStatus.Completed), TimeSpan.Zero));
        var nine = State([.. Enumerable.Repeat(TrialStatus.Completed, 9)]);
        Assert.Equal(1, SweepBudget.TrialsToStart(config, nine, TimeSpan.Zero));
    }

    [Fact]
    public void CompletionReason_EachLimit()
    {
        Assert.Null(SweepBudget.CompletionReason(Config(new SweepLimits { MaxTrials = 5 }), State(TrialStatus.Completed), TimeSpan.Zero));
        Assert.Contains("all 2 trials", SweepBudget.CompletionReason(Config(new SweepLimits { MaxTrials = 2 }), State(TrialStatus.Completed, TrialStatus.Running), TimeSpan.Zero), StringComparison.Ordinal);
        Assert.Contains("2 trials failed", SweepBudget.CompletionReason(Config(new SweepLimits { MaxFailedTrials = 2 }), State(TrialStatus.Failed, TrialStatus.Completed, TrialStatus.Failed), TimeSpan.Zero), StringComparison.Ordinal);
        Assert.Contains("time budget", SweepBudget.CompletionReason(Config(new SweepLimits { Timeout = TimeSpan.FromMinutes(5) }), State(), TimeSpan.FromMinutes(6)), StringComparison.Ordinal);
        Assert.Contains("reached the target", SweepBudget.CompletionReason(Config(new SweepLimits(), target: 1.5), State(TrialStatus.Completed), TimeSpan.Zero), StringComparison.Ordinal);
        Assert.Equal(0, SweepBudget.TrialsToStart(Config(new SweepLimits(), target: 1.5), State(TrialStatus.Completed), TimeSpan.Zero));
    }

    [Fact]
    public void Grid_EndsWhenEveryPointStarted()
    {
        var config = new SweepConfig { Method = SweepMethod.Grid, Parameters = [ParameterSpec.IntUniform("n", 1, 2)] };
        Assert.Equal(2, SweepBudget.TrialsToStart(config, SweepState.Empty, TimeSpan.Zero));
        Assert.NotNull(SweepBudget.CompletionReason(config, State(TrialStatus.Completed, TrialStatus.Running), TimeSpan.Zero));
    }
}
