namespace Serverless.Sweeps;

/// <summary>
/// The history as the model-based samplers see it: every value turned into a loss (lower is better),
/// failed trials imputed as the worst observed loss, and running trials kept apart as pending points.
/// </summary>
internal sealed class Observations
{
    public Observations(SweepState state, SweepMetric? metric)
    {
        var sign = metric?.Goal == MetricGoal.Maximize ? -1.0 : 1.0;
        var finished = state.Trials.Where(t => t.HasValue).ToList();
        var worst = finished.Count == 0 ? (double?)null : finished.Max(t => sign * t.Value!.Value);
        foreach (var t in state.Trials)
        {
            if (t.HasValue)
            {
                Scored.Add((t, sign * t.Value!.Value));
            }
            else if (t.Status == TrialStatus.Running)
            {
                Pending.Add(t);
            }
            else if (worst is { } w)
            {
                // A failed trial is evidence that its region is bad; imputing the worst value keeps the
                // model from proposing it again without letting it dominate the fit.
                Scored.Add((t, w));
                ImputedCount++;
            }
        }

        FinishedCount = finished.Count;
    }

    /// <summary>Trials with a loss (finished, plus failed ones imputed), in trial order.</summary>
    public List<(TrialRecord Trial, double Loss)> Scored { get; } = [];

    /// <summary>Trials still running.</summary>
    public List<TrialRecord> Pending { get; } = [];

    /// <summary>Trials that finished with a real value (startup counting).</summary>
    public int FinishedCount { get; }

    /// <summary>Failed trials that were given the worst loss.</summary>
    public int ImputedCount { get; }
}
