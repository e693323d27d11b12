using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;

namespace Serverless.Orchestration.AzureStorage;

/// <summary>
/// The history table. One partition per instance: the instance row (RowKey "") holds the status and
/// is the instance's concurrency token; history rows (RowKey = sequence number, 8 hex digits) hold one
/// event each. Because both live in one partition, a checkpoint commits history and status together
/// in entity-group transactions, each fenced by the instance row's ETag.
/// </summary>
internal sealed partial class InstanceStore(TableClient table, PayloadStore payloads)
{
    private const string InstanceRowKey = "";
    private const int MaxRowsPerBatch = 99;
    private const int MaxBatchChars = 1_500_000; // ~3 MB of UTF-16 text, under the 4 MiB transaction limit

    public TableClient Table => table;

    /// <summary>Reads the instance row and the current execution's history; null when the instance does not exist.</summary>
    public async Task<InstanceState?> LoadAsync(string instanceId, CancellationToken cancellationToken)
    {
        TableEntity? instanceRow = null;
        var rows = new List<TableEntity>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {instanceId}");
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (row.RowKey.Length == 0)
            {
                instanceRow = row;
            }
            else
            {
                rows.Add(row);
            }
        }

        if (instanceRow is null)
        {
            return null;
        }

        var state = await FromInstanceRowAsync(instanceRow, fetchPayloads: true, cancellationToken);
        var count = instanceRow.GetInt32("HistoryCount") ?? 0;
        var events = new HistoryEvent?[count];
        foreach (var row in rows)
        {
            // Rows of earlier executions (before continue-as-new or restart) and rows written by a
            // checkpoint that never finished lie beyond the committed count or carry another id.
            if (!string.Equals(row.GetString("ExecutionId"), state.ExecutionId, StringComparison.Ordinal) ||
                !int.TryParse(row.RowKey, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var seq) || seq >= count)
            {
                continue;
            }

            var json = row.GetString("EventBlob") is { } blob
                ? await payloads.DownloadAsync(blob, cancellationToken)
                : row.GetString("Event");
            events[seq] = JsonSerializer.Deserialize<HistoryEvent>(json!, DataConverter.Options);
        }

        for (var i = 0; i < count; i++)
        {
            if (events[i] is null)
            {
                throw new InvalidOperationException(
                    $"History of instance '{instanceId}' is missing event #{i} of {count} (execution {state.ExecutionId}).");
            }
        }

        state.History = [.. events.Select(e => e!)];
        return state;
    }

    /// <summary>Reads only the instance row.</summary>
    public async Task<InstanceState?> ReadInstanceAsync(string instanceId, bool fetchPayloads, CancellationToken cancellationToken)
    {
        var response = await table.GetEntityIfExistsAsync<TableEntity>(instanceId, InstanceRowKey, cancellationToken: cancellationToken);
        return response.HasValue ? await FromInstanceRowAsync(response.Value!, fetchPayloads, cancellationToken) : null;
    }

    /// <summary>Writes the instance row if no row exists; false when one does.</summary>
    public async Task<bool> TryAddInstanceAsync(InstanceState state, CancellationToken cancellationToken)
    {
        try
        {
            var response = await table.AddEntityAsync(await ToInstanceRowAsync(state, state.History.Count, cancellationToken), cancellationToken);
            state.ETag = response.Headers.ETag;
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    /// <summary>Replaces the instance row if it still has <paramref name="state"/>'s ETag; false otherwise.</summary>
    /// <param name="state">The new row content, with the ETag it was read with.</param>
    /// <param name="keepHistory">Keep the stored history count (for a row read without its history) instead of the loaded history's length.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public async Task<bool> TryReplaceInstanceAsync(InstanceState state, CancellationToken cancellationToken, bool keepHistory = false)
    {
        try
        {
            var row = await ToInstanceRowAsync(state, keepHistory ? state.RowHistoryCount : state.History.Count, cancellationToken);
            var response = await table.UpdateEntityAsync(row, state.ETag ?? ETag.All, TableUpdateMode.Replace, cancellationToken);
            state.ETag = response.Headers.ETag;
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 404)
        {
            return false;
        }
    }

    /// <summary>
    /// Commits an episode: <paramref name="appended"/> after the committed history, and the instance
    /// row as <paramref name="state"/> now describes it. On success the state holds the new ETag and
    /// the appended events.
    /// </summary>
    /// <remarks>
    /// Order and crash behaviour: each transaction writes up to 99 history rows plus the instance row
    /// under its ETag, so a worker that lost the instance fails its first transaction and writes
    /// nothing. Only the last transaction raises the row's HistoryCount; rows from an unfinished
    /// checkpoint lie beyond the count, are ignored by readers and overwritten by the next checkpoint.
    /// </remarks>
    /// <exception cref="CheckpointConflictException">Another worker changed the instance first.</exception>
    public async Task CommitAsync(InstanceState state, IReadOnlyList<HistoryEvent> appended, CancellationToken cancellationToken)
    {
        var start = state.History.Count;
        var rows = new List<TableEntity>(appended.Count);
        for (var i = 0; i < appended.Count; i++)
        {
            rows.Add(await ToHistoryRowAsync(state, start + i, appended[i], cancellationToken));
        }

        var batches = Chunk(rows);
        var etag = state.ETag;
        for (var b = 0; b < batches.Count; b++)
        {
            var last = b == batches.Count - 1;
            var actions = batches[b].Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r)).ToList();
            TableEntity instanceRow;
            if (last)
            {
                instanceRow = await ToInstanceRowAsync(state, start + appended.Count, cancellationToken);
            }
            else if (etag is null)
            {
                // First write of a new instance spread over several transactions: the row appears with
                // no committed history, so readers never see events that are not all written yet.
                instanceRow = await ToInstanceRowAsync(state, 0, cancellationToken);
            }
            else
            {
                instanceRow = new TableEntity(state.InstanceId, InstanceRowKey) { ["CheckpointTime"] = DateTimeOffset.UtcNow };
            }

            actions.Add(etag is null
                ? new TableTransactionAction(TableTransactionActionType.Add, instanceRow)
                : new TableTransactionAction(last ? TableTransactionActionType.UpdateReplace : TableTransactionActionType.UpdateMerge, instanceRow, etag.Value));
            try
            {
                var response = await table.SubmitTransactionAsync(actions, cancellationToken);
                etag = response.Value[^1].Headers.ETag
                    ?? throw new InvalidOperationException("The table service returned no ETag for the instance row.");
            }
            catch (TableTransactionFailedException ex) when (ex.Status is 409 or 412 or 404)
            {
                throw new CheckpointConflictException(state.InstanceId, ex);
            }
        }

        state.ETag = etag;
        state.Append(appended);
    }

    private static List<List<TableEntity>> Chunk(List<TableEntity> rows)
    {
        var batches = new List<List<TableEntity>> { new() };
        var chars = 0;
        foreach (var row in rows)
        {
            var size = (row.GetString("Event")?.Length ?? 0) + 200;
            if (batches[^1].Count == MaxRowsPerBatch || chars + size > MaxBatchChars)
            {
                batches.Add([]);
                chars = 0;
            }

            batches[^1].Add(row);
            chars += size;
        }

        return batches;
    }

    private async Task<TableEntity> ToHistoryRowAsync(InstanceState state, int sequence, HistoryEvent e, CancellationToken cancellationToken)
    {
        var row = new TableEntity(state.InstanceId, sequence.ToString("X8", CultureInfo.InvariantCulture))
        {
            ["ExecutionId"] = state.ExecutionId,
            ["EventType"] = e.Type.ToString(),
        };
        var json = JsonSerializer.Serialize(e, DataConverter.Options);
        if (json.Length > PayloadStore.TableThresholdChars)
        {
            row["EventBlob"] = await payloads.UploadAsync(state.InstanceId, $"history-{sequence}", json, cancellationToken);
        }
        else
        {
            row["Event"] = json;
        }

        return row;
    }
}
