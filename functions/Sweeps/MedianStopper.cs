using System.Globalization;

namespace Serverless.Sweeps;

/// <summary>
/// Median stopping as Katib and Azure ML define it. A trial is evaluated once it has logged more than
/// <see cref="MedianStoppingConfig.DelayEvaluation"/> values, and then every
/// <see cref="MedianStoppingConfig.EvaluationInterval"/> values. At its latest step S it is stopped when
/// its best value so far is worse than the median, over the completed trials that logged something by
/// step S, of each one's running average (mean of its values at steps ≤ S). Nothing is stopped until at
/// least <see cref="MedianStoppingConfig.MinTrials"/> completed trials can be compared.
/// </summary>
public sealed class MedianStopper : IEarlyStopper
{
    private readonly MedianStoppingConfig _config;
    private readonly MetricGoal _goal;

    /// <summary>Creates the rule from its configuration and the metric goal.</summary>
    public MedianStopper(MedianStoppingConfig config, MetricGoal goal)
    {
        ArgumentNullException.ThrowIfNull(config);
        _config = config;
        _goal = goal;
    }

    /// <inheritdoc />
    public StopDecision Evaluate(IReadOnlyList<TrialProgress> allTrials, TrialProgress trial)
    {
        ArgumentNullException.ThrowIfNull(allTrials);
        ArgumentNullException.ThrowIfNull(trial);
        var history = trial.History.Where(p => double.IsFinite(p.Value)).ToList();
        var logged = history.Count;
        if (logged <= _config.DelayEvaluation)
        {
            return StopDecision.Continue($"within the delay ({logged} of {_config.DelayEvaluation} values logged)");
        }

        if ((logged - _config.DelayEvaluation - 1) % _config.EvaluationInterval != 0)
        {
            return StopDecision.Continue($"not an evaluation point (every {_config.EvaluationInterval} values after the delay)");
        }

        var step = history[^1].Step;
        var averages = new List<double>();
        foreach (var t in allTrials)
        {
            if (t.Number == trial.Number || t.Status != TrialStatus.Completed)
            {
                continue;
            }

            var upTo = t.History.Where(p => p.Step <= step && double.IsFinite(p.Value)).Select(p => p.Value).ToList();
            if (upTo.Count > 0)
            {
                averages.Add(upTo.Average());
            }
        }

        if (averages.Count < _config.MinTrials)
        {
            return StopDecision.Continue($"only {averages.Count} completed trials to compare with at step {step}; {_config.MinTrials} needed");
        }

        averages.Sort();
        var median = averages.Count % 2 == 1
            ? averages[averages.Count / 2]
            : 0.5 * (averages[(averages.Count / 2) - 1] + averages[averages.Count / 2]);
        var best = _goal == MetricGoal.Maximize ? history.Max(p => p.Value) : history.Min(p => p.Value);
        var worse = _goal == MetricGoal.Maximize ? best < median : best > median;
        var text = $"best so far {Format(best)} vs median running average {Format(median)} of {averages.Count} completed trials at step {step}";
        return worse ? StopDecision.Stop($"{text}: worse") : StopDecision.Continue($"{text}: not worse");
    }

    private static string Format(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
}
