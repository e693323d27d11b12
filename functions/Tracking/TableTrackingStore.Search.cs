using Azure.Data.Tables;
using Serverless.Tracking.Client;
using Serverless.Tracking.Search;

namespace Serverless.Tracking;

public sealed partial class TableTrackingStore
{
    // One filter may compare 15 times: the partition plus 14 row keys.
    private const int RowKeysPerQuery = 14;
    private const int ConcurrentRowQueries = 8;

    private long _narrowedSearches;

    /// <inheritdoc />
    public async Task<MlflowPage<Run>> SearchRunsAsync(
        IReadOnlyList<string> experimentIds, SearchFilter filter, IReadOnlyList<OrderByClause> orderBy, ViewType view,
        int maxResults, string? pageToken, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(experimentIds);
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(orderBy);
        var offset = PageToken.Decode(pageToken);
        var ids = experimentIds.Distinct(StringComparer.Ordinal).Where(IsExperimentId).ToList();
        var needed = offset + maxResults;

        // When an earlier search of the same shape left a rank hint, ask only for the runs that can
        // reach this page. The answer stands only if more runs match than the page needs: then every
        // run left out ranks below all of them (see RankHints). Otherwise read everything.
        var shape = RankHints.Shape(ids, view, filter, orderBy);
        if (shape is not null && _rankHints.Threshold(shape, needed) is { } threshold)
        {
            var narrowed = new RunSearchPlan(filter, orderBy, threshold);
            if (narrowed.IsNarrowed)
            {
                var candidates = await MatchAsync(narrowed, ids, filter, orderBy, view, ct);
                if (candidates.Count > needed)
                {
                    Interlocked.Increment(ref _narrowedSearches);
                    var rows = candidates.Skip(offset).Take(maxResults).Select(r => (r.Source is { } row ? RunState.FromEntity(row) : r).ToRun()).ToList();
                    return new MlflowPage<Run>(rows, PageToken.Next(offset, maxResults, candidates.Count));
                }
            }
        }

        // Pass 1 reads, per run, only the columns the filter and ordering need (the latest value of
        // a metric is its own column), with metric comparisons pre-filtered by the table service.
        var plan = new RunSearchPlan(filter, orderBy);
        var matched = await MatchAsync(plan, ids, filter, orderBy, view, ct);
        if (shape is not null)
        {
            var key = orderBy[0].Key;
            _rankHints.Record(shape, matched.Select(r => r.Metrics.TryGetValue(key, out var m) ? m.Value : (double?)null));
        }

        // Pass 2 reads whole rows for the page only.
        var page = matched.Skip(offset).Take(maxResults).ToList();
        var full = await ReadFullRowsAsync(page, ct);
        var runs = page.Where(p => full.ContainsKey(p.RunId)).Select(p => full[p.RunId].ToRun()).ToList();
        return new MlflowPage<Run>(runs, PageToken.Next(offset, maxResults, matched.Count));
    }

    /// <summary>How many searches were answered from a narrowed read (for tests and diagnostics).</summary>
    internal long NarrowedSearches => Interlocked.Read(ref _narrowedSearches);

    private async Task<List<RunState>> MatchAsync(
        RunSearchPlan plan, IReadOnlyList<string> experimentIds, SearchFilter filter, IReadOnlyList<OrderByClause> orderBy, ViewType view, CancellationToken ct)
    {
        var scans = await Task.WhenAll(experimentIds.Select(id => ScanRunsAsync(plan, id, view, ct)));
        var matched = new List<RunState>();
        foreach (var rows in scans)
        {
            foreach (var run in rows)
            {
                if (RunQuery.Matches(run, filter))
                {
                    matched.Add(run);
                }
            }
        }

        matched.Sort(RunQuery.Comparer(orderBy));
        return matched;
    }

    private async Task<List<RunState>> ScanRunsAsync(RunSearchPlan plan, string experimentId, ViewType view, CancellationToken ct)
    {
        var rows = new List<RunState>();
        var incomplete = new List<RunState>();
        await foreach (var entity in _runs.QueryAsync<TableEntity>(plan.ServerFilter(experimentId, view), maxPerPage: 1000, select: plan.Select, cancellationToken: ct))
        {
            if (plan.Project(experimentId, entity) is { } projected)
            {
                rows.Add(projected);
            }
            else
            {
                incomplete.Add(new RunState { RunId = entity.RowKey, ExperimentId = experimentId, ETag = entity.ETag });
            }
        }

        if (incomplete.Count > 0)
        {
            // Runs with more metric keys than columns: evaluate them on their whole rows.
            var full = await ReadFullRowsAsync(incomplete, ct);
            rows.AddRange(incomplete.Where(r => full.ContainsKey(r.RunId)).Select(r => full[r.RunId]));
        }

        return rows;
    }

    /// <summary>
    /// Whole rows for <paramref name="wanted"/>: from the run cache when its ETag is the one the scan
    /// saw, otherwise read with a few row-key queries in parallel (one point read per run would cost
    /// a round trip each).
    /// </summary>
    private async Task<Dictionary<string, RunState>> ReadFullRowsAsync(IReadOnlyList<RunState> wanted, CancellationToken ct)
    {
        var result = new Dictionary<string, RunState>(StringComparer.Ordinal);
        var missing = new List<RunState>();
        foreach (var run in wanted)
        {
            if (_runCache.TryGetValue(run.RunId, out var cached) && cached.ETag == run.ETag)
            {
                result[run.RunId] = cached;
            }
            else
            {
                missing.Add(run);
            }
        }

        if (missing.Count == 0)
        {
            return result;
        }

        using var throttle = new SemaphoreSlim(ConcurrentRowQueries);
        var chunks = missing.GroupBy(r => r.ExperimentId, StringComparer.Ordinal)
            .SelectMany(g => g.Chunk(RowKeysPerQuery).Select(chunk => (Experiment: g.Key, Runs: chunk)));
        var reads = chunks.Select(async chunk =>
        {
            await throttle.WaitAsync(ct);
            try
            {
                var keys = string.Join(" or ", chunk.Runs.Select(r => TableClient.CreateQueryFilter($"RowKey eq {r.RunId}")));
                var filter = $"{TableClient.CreateQueryFilter($"PartitionKey eq {chunk.Experiment}")} and ({keys})";
                var states = new List<RunState>(chunk.Runs.Length);
                await foreach (var entity in _runs.QueryAsync<TableEntity>(filter, cancellationToken: ct))
                {
                    states.Add(RunState.FromEntity(entity));
                }

                return states;
            }
            finally
            {
                throttle.Release();
            }
        });
        foreach (var state in (await Task.WhenAll(reads)).SelectMany(s => s))
        {
            result[state.RunId] = state;
        }

        return result;
    }
}
