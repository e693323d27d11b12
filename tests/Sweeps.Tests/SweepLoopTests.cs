namespace Serverless.Sweeps.Tests;

/// <summary>
/// The library driven the way the sweep orchestration will drive it: budget → suggest → run with
/// intermediate metrics → early stopping → record → results. The "training" is a synthetic learning curve.
/// </summary>
public class SweepLoopTests
{
    private const string Yaml = """
        method: bayes
        sampler: tpe
        seed: 5
        metric: {name: loss, goal: minimize}
        parameters:
          lr: {distribution: log_uniform_values, min: 0.001, max: 1.0}
          width: {values: [16, 32, 64]}
        early_terminate: {type: hyperband, min_iter: 2, eta: 3}
        run_cap: 24
        limits: {max_concurrent_trials: 3, max_failed_trials: 10}
        """;

    private sealed record Outcome(IReadOnlyList<TrialRecord> Trials, int MaxRunning, int Stopped);

    // Loss after `step` epochs: best near lr = 0.03 and width 64; trials with lr > 0.5 diverge (fail).
    private static double? Curve(ParameterSet p, int step)
    {
        var lr = p.GetDouble("lr");
        if (lr > 0.5)
        {
            return null;
        }

        var final = Math.Pow(Math.Log10(lr) + 1.5, 2) + (64.0 / Convert.ToDouble(p["width"], System.Globalization.CultureInfo.InvariantCulture) * 0.1);
        return final + (2.0 * Math.Exp(-step / 4.0));
    }

    private static Outcome RunSweep()
    {
        var config = SweepConfigParser.Parse(Yaml, "sweep.yaml").Config!;
        var sampler = SweepSamplers.Create(config);
        var stopper = EarlyStoppers.Create(config)!;
        var trials = new List<TrialRecord>();
        var histories = new Dictionary<int, List<MetricPoint>>();
        var maxRunning = 0;
        var stopped = 0;
        const int Epochs = 20;

        // Lock-step simulation: every tick, start what the budget allows, then advance each running trial one epoch.
        for (var tick = 0; tick < 1000; tick++)
        {
            var state = new SweepState(trials);
            if (SweepBudget.CompletionReason(config, state, TimeSpan.FromMinutes(tick)) is not null && trials.All(t => t.Status != TrialStatus.Running))
            {
                break;
            }

            foreach (var p in sampler.Suggest(state, SweepBudget.TrialsToStart(config, state, TimeSpan.FromMinutes(tick))))
            {
                histories[trials.Count] = [];
                trials.Add(new TrialRecord(trials.Count, p, TrialStatus.Running));
            }

            maxRunning = Math.Max(maxRunning, trials.Count(t => t.Status == TrialStatus.Running));
            foreach (var t in trials.Where(t => t.Status == TrialStatus.Running).ToList())
            {
                var step = histories[t.Number].Count + 1;
                if (Curve(t.Parameters, step) is not { } loss)
                {
                    trials[t.Number] = t with { Status = TrialStatus.Failed };
                    continue;
                }

                histories[t.Number].Add(new MetricPoint(step, loss));
                if (step == Epochs)
                {
                    trials[t.Number] = t with { Status = TrialStatus.Completed, Value = loss };
                    continue;
                }

                var progress = trials.Select(x => new TrialProgress(x.Number, x.Status, histories[x.Number])).ToList();
                if (stopper.Evaluate(progress, progress[t.Number]).ShouldStop)
                {
                    trials[t.Number] = t with { Status = TrialStatus.Stopped, Value = loss };
                    stopped++;
                }
            }
        }

        return new Outcome(trials, maxRunning, stopped);
    }

    [Fact]
    public void Sweep_RespectsLimits_StopsSomeTrials_AndFindsAGoodTrial()
    {
        var outcome = RunSweep();
        Assert.Equal(24, outcome.Trials.Count);
        Assert.Equal(3, outcome.MaxRunning);
        Assert.DoesNotContain(outcome.Trials, t => t.Status == TrialStatus.Running);
        Assert.True(outcome.Stopped > 0, "hyperband should stop some trials");
        Assert.Contains(outcome.Trials, t => t.Status == TrialStatus.Completed);

        var best = SweepResults.Best(outcome.Trials.Where(t => t.Status == TrialStatus.Completed), MetricGoal.Minimize)!;
        var worstCompleted = outcome.Trials.Where(t => t.Status == TrialStatus.Completed).Max(t => t.Value!.Value);
        Assert.True(best.Value < worstCompleted);
        Assert.InRange(best.Parameters.GetDouble("lr"), 0.003, 0.3);
    }

    [Fact]
    public void Sweep_Replayed_GivesIdenticalTrials()
    {
        var first = RunSweep();
        var second = RunSweep();
        Assert.Equal(
            first.Trials.Select(t => (t.Parameters.CanonicalKey(), t.Status, t.Value)),
            second.Trials.Select(t => (t.Parameters.CanonicalKey(), t.Status, t.Value)));
    }
}
