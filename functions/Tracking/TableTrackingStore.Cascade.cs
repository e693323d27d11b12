using Azure;
using Azure.Data.Tables;

namespace Serverless.Tracking;

public sealed partial class TableTrackingStore
{
    // Set on runs deleted because their experiment was, so that restoring the experiment brings
    // back exactly those and not runs the user had deleted on their own.
    private const string DeletedWithExperiment = "DeletedWithExperiment";

    private async Task CascadeToRunsAsync(string experimentId, bool deleted, CancellationToken ct)
    {
        var filter = deleted
            ? TableClient.CreateQueryFilter($"PartitionKey eq {experimentId} and LifecycleStage eq {LifecycleStage.Active}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {experimentId} and DeletedWithExperiment eq {true}");
        var batch = new List<TableTransactionAction>();
        await foreach (var row in _runs.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: ct))
        {
            // Merge touches only these two columns, so it cannot lose a concurrent metric write.
            var change = new TableEntity(experimentId, row.RowKey)
            {
                ["LifecycleStage"] = deleted ? LifecycleStage.Deleted : LifecycleStage.Active,
                [DeletedWithExperiment] = deleted,
            };
            batch.Add(new TableTransactionAction(TableTransactionActionType.UpdateMerge, change, ETag.All));
            _runCache.TryRemove(row.RowKey, out _);
            if (batch.Count == MaxEntitiesPerTransaction)
            {
                await _runs.SubmitTransactionAsync(batch, ct);
                batch = [];
            }
        }

        if (batch.Count > 0)
        {
            await _runs.SubmitTransactionAsync(batch, ct);
        }
    }
}
