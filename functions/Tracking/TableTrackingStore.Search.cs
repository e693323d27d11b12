using Azure.Data.Tables;
using Serverless.Tracking.Client;
using Serverless.Tracking.Search;

namespace Serverless.Tracking;

public sealed partial class TableTrackingStore
{
    /// <inheritdoc />
    public async Task<MlflowPage<Run>> SearchRunsAsync(
        IReadOnlyList<string> experimentIds, SearchFilter filter, IReadOnlyList<OrderByClause> orderBy, ViewType view,
        int maxResults, string? pageToken, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(experimentIds);
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(orderBy);
        var offset = PageToken.Decode(pageToken);

        // One partition query per experiment, one row per run: the latest metrics, params and tags
        // the filter needs are columns of that row. Lifecycle is filtered by the table service.
        var queries = experimentIds.Distinct(StringComparer.Ordinal).Where(IsExperimentId).Select(id => ReadRunsAsync(id, view, ct));
        var matched = (await Task.WhenAll(queries)).SelectMany(rows => rows).Where(run => RunQuery.Matches(run, filter)).ToList();
        matched.Sort(RunQuery.Comparer(orderBy));

        var page = matched.Skip(offset).Take(maxResults).Select(r => r.ToRun()).ToList();
        return new MlflowPage<Run>(page, PageToken.Next(offset, maxResults, matched.Count));
    }

    private async Task<List<RunState>> ReadRunsAsync(string experimentId, ViewType view, CancellationToken ct)
    {
        var filter = view switch
        {
            ViewType.ActiveOnly => TableClient.CreateQueryFilter($"PartitionKey eq {experimentId} and LifecycleStage eq {LifecycleStage.Active}"),
            ViewType.DeletedOnly => TableClient.CreateQueryFilter($"PartitionKey eq {experimentId} and LifecycleStage eq {LifecycleStage.Deleted}"),
            _ => TableClient.CreateQueryFilter($"PartitionKey eq {experimentId}"),
        };
        var rows = new List<RunState>();
        await foreach (var entity in _runs.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: ct))
        {
            rows.Add(RunState.FromEntity(entity));
        }

        return rows;
    }
}
