using System.Globalization;

namespace Serverless.Sweeps;

/// <summary>
/// Asynchronous successive halving with Hyperband rungs, as W&amp;B's <c>hyperband</c> early termination
/// does it. Iterations are counted as logged values: a trial has reached rung r once it has logged more
/// than r values, and its value at the rung is its (r+1)-th logged value. At its highest reached rung a
/// trial continues only if that value is within the best 1/eta of the values every trial (running or
/// finished) had at that rung: the threshold is the value at index ⌊n/eta⌋ of the sorted rung values.
/// </summary>
public sealed class HyperbandStopper : IEarlyStopper
{
    private readonly IReadOnlyList<int> _rungs;
    private readonly double _eta;
    private readonly MetricGoal _goal;

    /// <summary>Creates the rule from its configuration and the metric goal.</summary>
    public HyperbandStopper(HyperbandConfig config, MetricGoal goal)
    {
        ArgumentNullException.ThrowIfNull(config);
        _rungs = config.Rungs();
        if (_rungs.Count == 0)
        {
            throw new ArgumentException("hyperband settings give no rung", nameof(config));
        }

        _eta = config.Eta;
        _goal = goal;
    }

    /// <summary>The rungs in logged iterations, ascending.</summary>
    public IReadOnlyList<int> Rungs => _rungs;

    /// <inheritdoc />
    public StopDecision Evaluate(IReadOnlyList<TrialProgress> allTrials, TrialProgress trial)
    {
        ArgumentNullException.ThrowIfNull(allTrials);
        ArgumentNullException.ThrowIfNull(trial);
        var own = Losses(trial);
        var rung = -1;
        foreach (var r in _rungs)
        {
            if (r < own.Count)
            {
                rung = r;
            }
        }

        if (rung < 0)
        {
            return StopDecision.Continue($"no rung reached yet ({own.Count} values logged, first rung at {_rungs[0]})");
        }

        var rungValues = new List<double>();
        var includesSelf = false;
        foreach (var t in allTrials)
        {
            var losses = t.Number == trial.Number ? own : Losses(t);
            if (losses.Count > rung)
            {
                rungValues.Add(losses[rung]);
                includesSelf |= t.Number == trial.Number;
            }
        }

        if (!includesSelf)
        {
            rungValues.Add(own[rung]);
        }

        rungValues.Sort();
        var threshold = rungValues[(int)(rungValues.Count / _eta)];
        var value = own[rung];
        var shown = Shown(value);
        var shownThreshold = Shown(threshold);
        return value > threshold
            ? StopDecision.Stop($"at rung {rung} the metric {shown} is outside the best 1/{Format(_eta)} of {rungValues.Count} trials (threshold {shownThreshold})")
            : StopDecision.Continue($"at rung {rung} the metric {shown} is within the best 1/{Format(_eta)} of {rungValues.Count} trials (threshold {shownThreshold})");
    }

    // Everything is compared as a loss (lower is better); maximised metrics are negated.
    private List<double> Losses(TrialProgress t) =>
        [.. t.History.Where(p => double.IsFinite(p.Value)).Select(p => _goal == MetricGoal.Maximize ? -p.Value : p.Value)];

    private string Shown(double loss) => Format(_goal == MetricGoal.Maximize ? -loss : loss);

    private static string Format(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
}
