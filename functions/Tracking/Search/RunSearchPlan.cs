using System.Globalization;
using Azure.Data.Tables;

namespace Serverless.Tracking.Search;

/// <summary>
/// How one run search reads the runs table: which columns the pass over every run needs, which
/// metric comparisons the table service can pre-filter, and how a projected row becomes the partial
/// <see cref="RunState"/> that <see cref="RunQuery"/> evaluates. The pushed-down filter only ever
/// narrows to a superset of the answer; every clause is still evaluated in memory, so the language's
/// semantics do not depend on the table service's.
/// </summary>
internal sealed class RunSearchPlan
{
    // Azure Tables allows 15 comparisons in a filter; partition, lifecycle and marker use three.
    private const int MaxPushedClauses = 10;

    private static readonly string[] s_infoColumns = ["RunName", "UserId", "Status", "EndTime", "ArtifactUri", "LifecycleStage"];

    private readonly Dictionary<string, string> _metricColumns = new(StringComparer.Ordinal);
    private readonly string _pushed;
    private readonly string[] _projection;

    /// <summary>Plans a search; <paramref name="threshold"/> narrows it to the runs whose leading order metric reaches that value.</summary>
    public RunSearchPlan(SearchFilter filter, IReadOnlyList<OrderByClause> orderBy, double? threshold = null)
    {
        var keys = filter.Clauses.Select(c => (c.Kind, c.Key)).Concat(orderBy.Select(o => (o.Kind, o.Key))).ToList();
        var metricKeys = keys.Where(k => k.Kind == FilterEntityKind.Metric).Select(k => k.Key).Distinct(StringComparer.Ordinal).ToList();
        foreach (var key in metricKeys)
        {
            if (MetricColumns.PropertyName(key) is { } name)
            {
                _metricColumns[key] = name;
            }
        }

        // A key too long to be a column: read the JSON of every run's latest metrics instead.
        UsesMetricJson = _metricColumns.Count < metricKeys.Count;
        var select = new List<string> { "RowKey", "StartTime" };
        if (UsesMetricJson)
        {
            select.AddRange(ChunkedColumn.Names("Metrics"));
        }
        else if (metricKeys.Count > 0)
        {
            select.Add(MetricColumns.Marker);
            select.AddRange(_metricColumns.Values);
        }

        if (keys.Any(k => k.Kind == FilterEntityKind.Param))
        {
            select.AddRange(ChunkedColumn.Names("Params"));
        }

        if (keys.Any(k => k.Kind == FilterEntityKind.Tag))
        {
            select.AddRange(ChunkedColumn.Names("Tags"));
        }

        if (keys.Any(k => k.Kind == FilterEntityKind.Attribute && k.Key is not ("start_time" or "created" or "run_id" or "experiment_id")))
        {
            select.AddRange(s_infoColumns);
        }

        _pushed = UsesMetricJson ? "" : PushedClauses(filter);
        if (threshold is { } t && !double.IsNaN(t) && !UsesMetricJson && _metricColumns.TryGetValue(orderBy[0].Key, out var ordered))
        {
            // Narrowed, the scan returns a few times the page rather than every run, so it reads whole
            // rows at once instead of a projection now and the page's rows in a second round trip.
            var value = MetricColumns.Encode(t);
            var bound = orderBy[0].Ascending ? $"({ordered} le '{value}' or {ordered} eq 'NaN')" : $"{ordered} ge '{value}'";
            _pushed = _pushed.Length == 0 ? bound : $"{_pushed} and {bound}";
            IsNarrowed = true;
        }

        _projection = [.. select];
        Select = IsNarrowed ? null : select;
    }

    /// <summary>The columns read for every run; null reads whole rows.</summary>
    public IReadOnlyList<string>? Select { get; }

    /// <summary>
    /// Whether the scan only returns runs at or beyond a rank threshold (see <see cref="RankHints"/>);
    /// such a scan reads whole rows, so no second pass is needed.
    /// </summary>
    public bool IsNarrowed { get; }

    /// <summary>Whether metric values come from the JSON column rather than the per-key columns.</summary>
    public bool UsesMetricJson { get; }

    /// <summary>The table filter for one experiment's runs in <paramref name="view"/>.</summary>
    public string ServerFilter(string experimentId, ViewType view)
    {
        var filter = view switch
        {
            ViewType.ActiveOnly => TableClient.CreateQueryFilter($"PartitionKey eq {experimentId} and LifecycleStage eq {LifecycleStage.Active}"),
            ViewType.DeletedOnly => TableClient.CreateQueryFilter($"PartitionKey eq {experimentId} and LifecycleStage eq {LifecycleStage.Deleted}"),
            _ => TableClient.CreateQueryFilter($"PartitionKey eq {experimentId}"),
        };

        // Rows whose metrics do not all have columns come back regardless and are read in full.
        return _pushed.Length == 0 ? filter : $"{filter} and ({MetricColumns.Marker} eq '{MetricColumns.Some}' or ({_pushed}))";
    }

    /// <summary>
    /// The run as far as the projection shows it, or null when the row's metric columns are
    /// incomplete and the search must read the whole row.
    /// </summary>
    public RunState? Project(string experimentId, TableEntity entity)
    {
        // The partition key is not selected: the query already names it.
        entity.PartitionKey = experimentId;
        if (IsNarrowed)
        {
            // Whole rows came back, but most are cut by the sort: evaluate on the projected columns
            // only, as the wide scan would, and keep the row to parse in full if it reaches the page.
            var whole = entity.GetString(MetricColumns.Marker) == MetricColumns.All ? null : RunState.FromEntity(entity);
            var projected = whole ?? ProjectColumns(ProjectionOf(experimentId, entity)) ?? RunState.FromEntity(entity);
            projected.Source = entity;
            return projected;
        }

        return ProjectColumns(entity);
    }

    private TableEntity ProjectionOf(string experimentId, TableEntity entity)
    {
        var view = new TableEntity(experimentId, entity.RowKey) { ETag = entity.ETag };
        foreach (var column in _projection)
        {
            if (entity.TryGetValue(column, out var value))
            {
                view[column] = value;
            }
        }

        return view;
    }

    private RunState? ProjectColumns(TableEntity entity)
    {
        var state = RunState.FromEntity(entity);
        if (UsesMetricJson || _metricColumns.Count == 0)
        {
            return state;
        }

        if (entity.GetString(MetricColumns.Marker) != MetricColumns.All)
        {
            return null;
        }

        foreach (var (key, column) in _metricColumns)
        {
            if (MetricColumns.Decode(entity.GetString(column)) is { } value)
            {
                // Only the value takes part in filters and ordering.
                state.Metrics[key] = new LatestMetric(value, 0, 0);
            }
        }

        return state;
    }

    private string PushedClauses(SearchFilter filter)
    {
        var parts = new List<string>();
        foreach (var clause in filter.Clauses)
        {
            if (parts.Count == MaxPushedClauses || clause.Kind != FilterEntityKind.Metric || clause.Number is not { } number)
            {
                continue;
            }

            var op = clause.Operator switch
            {
                FilterOperator.Equal => "eq",
                FilterOperator.Less => "lt",
                FilterOperator.LessOrEqual => "le",
                FilterOperator.Greater => "gt",
                FilterOperator.GreaterOrEqual => "ge",

                // != also matches NaN in memory, which the encoded order cannot express.
                _ => null,
            };
            if (op is not null)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"{_metricColumns[clause.Key]} {op} '{MetricColumns.Encode(number)}'"));
            }
        }

        return string.Join(" and ", parts);
    }
}
