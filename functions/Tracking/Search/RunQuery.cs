namespace Serverless.Tracking.Search;

/// <summary>Evaluates filters and orderings against runs: the attribute names runs expose, and MLflow's sort rules.</summary>
internal static class RunQuery
{
    public static readonly HashSet<string> NumericAttributes = new HashSet<string>(StringComparer.Ordinal) { "start_time", "end_time", "created" };

    public static readonly HashSet<string> TextAttributes = new HashSet<string>(StringComparer.Ordinal)
    {
        "run_id", "run_name", "status", "user_id", "artifact_uri", "lifecycle_stage", "experiment_id",
    };

    public static void Validate(SearchFilter filter, IReadOnlyList<OrderByClause> orderBy)
    {
        filter.Validate(NumericAttributes, TextAttributes, FilterEntityKind.Attribute, FilterEntityKind.Metric, FilterEntityKind.Param, FilterEntityKind.Tag);
        foreach (var clause in orderBy)
        {
            if (clause.Kind == FilterEntityKind.Attribute && !NumericAttributes.Contains(clause.Key) && !TextAttributes.Contains(clause.Key))
            {
                throw TrackingException.Invalid(
                    $"Invalid order_by: unknown attribute '{clause.Key}'; valid attributes are {string.Join(", ", NumericAttributes.Concat(TextAttributes).Order(StringComparer.Ordinal))}");
            }
        }
    }

    public static bool Matches(RunState run, SearchFilter filter)
    {
        foreach (var clause in filter.Clauses)
        {
            var ok = clause.Kind switch
            {
                FilterEntityKind.Metric => clause.Matches(run.Metrics.TryGetValue(clause.Key, out var m) ? m.Value : null),
                FilterEntityKind.Param => clause.Matches(run.Params.GetValueOrDefault(clause.Key)),
                FilterEntityKind.Tag => clause.Matches(run.Tags.GetValueOrDefault(clause.Key)),
                _ => NumericAttributes.Contains(clause.Key) ? clause.Matches(Number(run, clause.Key)) : clause.Matches(Text(run, clause.Key)),
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>User orderings first (missing values last either way), then start_time DESC, then run_id.</summary>
    public static Comparison<RunState> Comparer(IReadOnlyList<OrderByClause> orderBy) => (a, b) =>
    {
        foreach (var clause in orderBy)
        {
            var c = CompareBy(a, b, clause);
            if (c != 0)
            {
                return c;
            }
        }

        var byStart = b.StartTime.CompareTo(a.StartTime);
        return byStart != 0 ? byStart : string.CompareOrdinal(a.RunId, b.RunId);
    };

    private static int CompareBy(RunState a, RunState b, OrderByClause clause)
    {
        if (clause.Kind == FilterEntityKind.Metric || (clause.Kind == FilterEntityKind.Attribute && NumericAttributes.Contains(clause.Key)))
        {
            var x = clause.Kind == FilterEntityKind.Metric ? (a.Metrics.TryGetValue(clause.Key, out var ma) ? ma.Value : (double?)null) : Number(a, clause.Key);
            var y = clause.Kind == FilterEntityKind.Metric ? (b.Metrics.TryGetValue(clause.Key, out var mb) ? mb.Value : (double?)null) : Number(b, clause.Key);
            return (x, y) switch
            {
                (null, null) => 0,
                (null, _) => 1,
                (_, null) => -1,
                _ => clause.Ascending ? x.Value.CompareTo(y.Value) : y.Value.CompareTo(x.Value),
            };
        }

        var s = Value(a, clause);
        var t = Value(b, clause);
        return (s, t) switch
        {
            (null, null) => 0,
            (null, _) => 1,
            (_, null) => -1,
            _ => clause.Ascending ? string.CompareOrdinal(s, t) : string.CompareOrdinal(t, s),
        };
    }

    private static string? Value(RunState run, OrderByClause clause) => clause.Kind switch
    {
        FilterEntityKind.Param => run.Params.GetValueOrDefault(clause.Key),
        FilterEntityKind.Tag => run.Tags.GetValueOrDefault(clause.Key),
        _ => Text(run, clause.Key),
    };

    private static double? Number(RunState run, string key) => key switch
    {
        "start_time" or "created" => run.StartTime,
        "end_time" => run.EndTime,
        _ => null,
    };

    private static string? Text(RunState run, string key) => key switch
    {
        "run_id" => run.RunId,
        "run_name" => run.RunName,
        "status" => run.Status,
        "user_id" => run.UserId,
        "artifact_uri" => run.ArtifactUri,
        "lifecycle_stage" => run.LifecycleStage,
        "experiment_id" => run.ExperimentId,
        _ => null,
    };
}
