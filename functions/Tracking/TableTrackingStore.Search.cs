using Azure.Data.Tables;
using Serverless.Tracking.Client;
using Serverless.Tracking.Search;

namespace Serverless.Tracking;

public sealed partial class TableTrackingStore
{
    // One filter may compare 15 times: the partition plus 14 row keys.
    private const int RowKeysPerQuery = 14;
    private const int ConcurrentRowQueries = 8;

    /// <inheritdoc />
    public async Task<MlflowPage<Run>> SearchRunsAsync(
        IReadOnlyList<string> experimentIds, SearchFilter filter, IReadOnlyList<OrderByClause> orderBy, ViewType view,
        int maxResults, string? pageToken, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(experimentIds);
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(orderBy);
        var offset = PageToken.Decode(pageToken);

        // Pass 1 reads, per run, only the columns the filter and ordering need (the latest value of
        // a metric is its own column), with metric comparisons pre-filtered by the table service.
        var plan = new RunSearchPlan(filter, orderBy);
        var queries = experimentIds.Distinct(StringComparer.Ordinal).Where(IsExperimentId).Select(id => ScanRunsAsync(plan, id, view, ct));
        var matched = (await Task.WhenAll(queries)).SelectMany(rows => rows).Where(run => RunQuery.Matches(run, filter)).ToList();
        matched.Sort(RunQuery.Comparer(orderBy));

        // Pass 2 reads whole rows for the page only.
        var page = matched.Skip(offset).Take(maxResults).ToList();
        var full = await ReadFullRowsAsync(page, ct);
        var runs = page.Where(p => full.ContainsKey(p.RunId)).Select(p => full[p.RunId].ToRun()).ToList();
        return new MlflowPage<Run>(runs, PageToken.Next(offset, maxResults, matched.Count));
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
