namespace Serverless.Sweeps.Orchestration;

/// <summary>Builds the leaderboard view from the orchestrator's trials.</summary>
internal static class SweepStatusBuilder
{
    public static SweepStatusView Build(SweepConfig config, IReadOnlyList<SweepTrial> trials, string status, string? reason)
    {
        var goal = config.Metric?.Goal ?? MetricGoal.Minimize;
        var records = trials.Select(t => t.ToRecord()).ToList();
        var order = SweepResults.Leaderboard(records, goal).Select(e => trials[e.Trial.Number]).ToList();

        // The leaderboard puts unvalued trials after valued ones; among them running before failed and cancelled.
        var best = order.FirstOrDefault(t => t.Status == SweepTrialStatus.Succeeded && t.Value is not null);
        return new SweepStatusView
        {
            Method = config.Method.ToString().ToLowerInvariant(),
            Metric = config.Metric is { } m ? new SweepMetricView(m.Name, m.Goal.ToString().ToLowerInvariant()) : null,
            Status = status,
            Reason = reason,
            Trials = order.Select(t => t.ToView()).ToList(),
            Best = best is null ? null : new SweepBestView(best.Number, new Dictionary<string, object?>(best.Parameters, StringComparer.Ordinal), best.Value!.Value),
            Importance = SweepResults.Importance(records, config.Parameters).ToDictionary(i => i.Name, i => i.Importance, StringComparer.Ordinal),
        };
    }
}
