using Azure.Data.Tables;
using Serverless.Tracking.Client;

namespace Serverless.Tracking;

public sealed partial class TableTrackingStore
{
    // A transaction carries at most 100 entities and 4 MiB; packed entities are up to ~65 KB of base64.
    private const int MaxEntitiesPerTransaction = 100;
    private const int MaxBytesPerTransaction = 2_500_000;

    /// <inheritdoc />
    public async Task<IReadOnlyList<Metric>> GetMetricHistoryAsync(string runId, string key, CancellationToken ct = default)
    {
        await LoadRunAsync(runId, useCache: true, ct);
        var prefix = KeyEncoding.Encode(key) + "~";
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {runId} and RowKey ge {prefix} and RowKey lt {prefix + "\u007f"}");
        var points = new List<Metric>();
        await foreach (var entity in _metrics.QueryAsync<TableEntity>(filter, select: ["Key", "P"], cancellationToken: ct))
        {
            if (entity.GetString("Key") == key && entity.GetBinary("P") is { } packed)
            {
                MetricPoints.Unpack(key, packed, points);
            }
        }

        points.Sort(static (a, b) => a.Step != b.Step ? a.Step.CompareTo(b.Step) : a.Timestamp.CompareTo(b.Timestamp));
        return points;
    }

    // Append-only: every entity gets a fresh row key, so no write ever needs to read first and a
    // retried batch can only duplicate points (as MLflow's own stores do), never lose them.
    private async Task WritePointsAsync(string runId, IReadOnlyList<Metric> metrics, CancellationToken ct)
    {
        if (metrics.Count == 1)
        {
            // One point is one entity: a plain upsert costs the SDK and the table service about half
            // of what a one-entity $batch does (multipart body and response), and log_metric is the
            // most frequent call there is.
            var metric = metrics[0];
            var entity = new TableEntity(runId, $"{KeyEncoding.Encode(metric.Key)}~{Guid.NewGuid():N}")
            {
                ["Key"] = metric.Key,
                ["P"] = MetricPoints.Pack(metrics),
            };
            await _metrics.UpsertEntityAsync(entity, TableUpdateMode.Replace, ct);
            return;
        }

        var batch = new List<TableTransactionAction>();
        var bytes = 0;
        foreach (var group in metrics.GroupBy(m => m.Key, StringComparer.Ordinal))
        {
            var encoded = KeyEncoding.Encode(group.Key);
            foreach (var chunk in group.Chunk(MetricPoints.MaxPerEntity))
            {
                var packed = MetricPoints.Pack(chunk);
                var entity = new TableEntity(runId, $"{encoded}~{Guid.NewGuid():N}")
                {
                    ["Key"] = group.Key,
                    ["P"] = packed,
                };
                var size = (packed.Length * 4 / 3) + (group.Key.Length * 4) + 512;
                if (batch.Count == MaxEntitiesPerTransaction || (batch.Count > 0 && bytes + size > MaxBytesPerTransaction))
                {
                    await _metrics.SubmitTransactionAsync(batch, ct);
                    batch = [];
                    bytes = 0;
                }

                batch.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, entity));
                bytes += size;
            }
        }

        if (batch.Count > 0)
        {
            await _metrics.SubmitTransactionAsync(batch, ct);
        }
    }
}
