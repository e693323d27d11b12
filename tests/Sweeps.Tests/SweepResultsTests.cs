namespace Serverless.Sweeps.Tests;

public class SweepResultsTests
{
    private static TrialRecord T(int n, TrialStatus status, double? value, double x = 0, string opt = "a") =>
        new(n, new ParameterSet([new("x", x), new("opt", opt)]), status, value);

    [Fact]
    public void Leaderboard_Minimize_ValuedFirstThenRunningThenFailed()
    {
        var trials = new[]
        {
            T(0, TrialStatus.Failed, null),
            T(1, TrialStatus.Completed, 0.5),
            T(2, TrialStatus.Running, null),
            T(3, TrialStatus.Stopped, 0.2),
            T(4, TrialStatus.Completed, 0.9),
            T(5, TrialStatus.Completed, 0.5),
        };
        var board = SweepResults.Leaderboard(trials, MetricGoal.Minimize);
        Assert.Equal([3, 1, 5, 4, 2, 0], board.Select(e => e.Trial.Number));
        Assert.Equal([1, 2, 3, 4, 5, 6], board.Select(e => e.Rank));
    }

    [Fact]
    public void Leaderboard_Maximize_LargestFirst()
    {
        var board = SweepResults.Leaderboard([T(0, TrialStatus.Completed, 0.1), T(1, TrialStatus.Completed, 0.7), T(2, TrialStatus.Failed, null)], MetricGoal.Maximize);
        Assert.Equal([1, 0, 2], board.Select(e => e.Trial.Number));
    }

    [Fact]
    public void Best_IgnoresFailedAndRunning_NullWhenNoValue()
    {
        Assert.Equal(1, SweepResults.Best([T(0, TrialStatus.Failed, null), T(1, TrialStatus.Completed, 3)], MetricGoal.Minimize)!.Number);
        Assert.Null(SweepResults.Best([T(0, TrialStatus.Failed, null), T(1, TrialStatus.Running, null)], MetricGoal.Minimize));
    }

    [Fact]
    public void Importance_ParameterThatDrivesTheMetric_Dominates()
    {
        // The metric depends on x only; opt is noise-free but irrelevant.
        var random = new SweepRandom(5);
        var trials = Enumerable.Range(0, 200).Select(i =>
        {
            var x = random.NextDouble();
            var opt = random.NextInt(2) == 0 ? "a" : "b";
            return T(i, TrialStatus.Completed, (x * x * 10) + (0.05 * random.NextGaussian()), x, opt);
        }).ToList();
        var importance = SweepResults.Importance(trials, [ParameterSpec.Uniform("x", 0, 1), ParameterSpec.Categorical("opt", ["a", "b"])]);
        Assert.Equal("x", importance[0].Name);
        Assert.True(importance[0].Importance > 0.95, $"x importance {importance[0].Importance:G3}");
        Assert.Equal(1.0, importance.Sum(i => i.Importance), 9);
    }

    [Fact]
    public void Importance_CategoricalEffect_IsFound()
    {
        var random = new SweepRandom(6);
        var trials = Enumerable.Range(0, 100).Select(i =>
        {
            var opt = random.NextInt(2) == 0 ? "a" : "b";
            return T(i, TrialStatus.Completed, (opt == "a" ? 1 : 3) + (0.1 * random.NextGaussian()), random.NextDouble(), opt);
        }).ToList();
        var importance = SweepResults.Importance(trials, [ParameterSpec.Uniform("x", 0, 1), ParameterSpec.Categorical("opt", ["a", "b"]), ParameterSpec.Constant("c", 1L)]);
        Assert.Equal("opt", importance[0].Name);
        Assert.True(importance[0].Importance > 0.9);
        Assert.Equal(0, importance.Single(i => i.Name == "c").Importance);
    }

    [Fact]
    public void Importance_TooFewTrials_AllZero()
    {
        var importance = SweepResults.Importance([T(0, TrialStatus.Completed, 1)], [ParameterSpec.Uniform("x", 0, 1)]);
        Assert.Equal(0, Assert.Single(importance).Importance);
    }

    [Fact]
    public void ParameterSet_ToNested_RebuildsStructure()
    {
        var set = new ParameterSet([new("optimizer.lr", 0.1), new("optimizer.name", "adam"), new("epochs", 3L)]);
        var nested = set.ToNested();
        Assert.Equal(3L, nested["epochs"]);
        var optimizer = Assert.IsType<Dictionary<string, object?>>(nested["optimizer"]);
        Assert.Equal(0.1, optimizer["lr"]);
        Assert.Equal("adam", optimizer["name"]);
    }
}
