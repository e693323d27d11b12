namespace Serverless.Sweeps;

/// <summary>Leaderboard, best trial and parameter importance of a set of trials.</summary>
public static class SweepResults
{
    /// <summary>Bins used for numeric parameters in <see cref="Importance"/>.</summary>
    public const int ImportanceBins = 8;

    /// <summary>
    /// Orders trials best first for the goal: trials with a value (completed or stopped early) by value,
    /// ties by trial number; then running trials; then failed ones.
    /// </summary>
    public static IReadOnlyList<LeaderboardEntry> Leaderboard(IEnumerable<TrialRecord> trials, MetricGoal goal)
    {
        ArgumentNullException.ThrowIfNull(trials);
        var sign = goal == MetricGoal.Maximize ? -1 : 1;
        var ordered = trials
            .OrderBy(t => t.HasValue ? 0 : t.Status == TrialStatus.Failed ? 2 : 1)
            .ThenBy(t => t.HasValue ? sign * t.Value!.Value : 0)
            .ThenBy(t => t.Number)
            .ToList();
        var entries = new List<LeaderboardEntry>(ordered.Count);
        for (var i = 0; i < ordered.Count; i++)
        {
            entries.Add(new LeaderboardEntry(i + 1, ordered[i]));
        }

        return entries;
    }

    /// <summary>
    /// The best trial with a value (completed or stopped early); the earlier trial wins a tie. Null when
    /// no trial has a value.
    /// </summary>
    public static TrialRecord? Best(IEnumerable<TrialRecord> trials, MetricGoal goal)
    {
        ArgumentNullException.ThrowIfNull(trials);
        return Leaderboard(trials, goal).Select(e => e.Trial).FirstOrDefault(t => t.HasValue);
    }

    /// <summary>
    /// A functional-ANOVA-style first-order importance: for each parameter the valued trials are grouped
    /// by its value (categorical: by choice; numeric: into up to <see cref="ImportanceBins"/> equal-count
    /// bins over its internal, log-scaled where applicable, axis); the importance is the between-group
    /// variance of the metric (count-weighted variance of the group means), and the results are normalised to
    /// sum to 1. Constant parameters get 0. It measures main effects only; interactions are not attributed.
    /// </summary>
    public static IReadOnlyList<ParameterImportance> Importance(IEnumerable<TrialRecord> trials, IReadOnlyList<ParameterSpec> parameters)
    {
        ArgumentNullException.ThrowIfNull(trials);
        ArgumentNullException.ThrowIfNull(parameters);
        var valued = trials.Where(t => t.HasValue).ToList();
        var raw = new List<(string Name, double Variance)>();
        foreach (var p in parameters)
        {
            raw.Add((p.Name, p.Kind == DistributionKind.Constant || valued.Count < 2 ? 0 : BetweenGroupVariance(p, valued)));
        }

        var total = raw.Sum(r => r.Variance);
        return [.. raw
            .Select(r => new ParameterImportance(r.Name, total > 0 ? r.Variance / total : 0))
            .OrderByDescending(r => r.Importance)
            .ThenBy(r => r.Name, StringComparer.Ordinal)];
    }

    private static double BetweenGroupVariance(ParameterSpec p, List<TrialRecord> valued)
    {
        var groups = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        if (p.Kind == DistributionKind.Categorical)
        {
            foreach (var t in valued)
            {
                t.Parameters.TryGetValue(p.Name, out var v);
                var key = ParameterSet.FormatValue(v);
                if (!groups.TryGetValue(key, out var list))
                {
                    groups[key] = list = [];
                }

                list.Add(t.Value!.Value);
            }
        }
        else
        {
            var points = valued
                .Where(t => t.Parameters.TryGetValue(p.Name, out var v) && v is not null and not string and not bool)
                .Select(t => (X: p.Encode(t.Parameters[p.Name]), Y: t.Value!.Value))
                .OrderBy(pt => pt.X)
                .ToList();
            var bins = Math.Min(ImportanceBins, points.Count);
            var previousBin = -1;
            for (var i = 0; i < points.Count; i++)
            {
                // Equal-count bins; equal x values stay together so a discrete parameter is not split arbitrarily.
                var bin = i > 0 && points[i].X == points[i - 1].X ? previousBin : Math.Max(previousBin, i * bins / points.Count);
                previousBin = bin;
                var key = bin.ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (!groups.TryGetValue(key, out var list))
                {
                    groups[key] = list = [];
                }

                list.Add(points[i].Y);
            }
        }

        var all = groups.Values.SelectMany(g => g).ToList();
        if (all.Count < 2)
        {
            return 0;
        }

        var mean = all.Average();
        return groups.Values.Sum(g => g.Count * Math.Pow(g.Average() - mean, 2)) / all.Count;
    }
}
