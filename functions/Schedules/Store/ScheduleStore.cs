using Azure;
using Azure.Data.Tables;
using Serverless.Orchestration;
using Serverless.Schedules.Definition;
using Serverless.Storage;

namespace Serverless.Schedules.Store;

/// <summary>
/// The <c>schedules</c> table: one row per schedule (PartitionKey = pipeline, RowKey = schedule name), written
/// by the schedule's activities and by the HTTP API, so listing reads a table instead of replaying orchestrations.
/// </summary>
public sealed class ScheduleStore
{
    private readonly TableClient _table;
    private int _created;

    /// <summary>Creates the store over <paramref name="tableName"/> in the platform's storage account.</summary>
    public ScheduleStore(StorageClients storage, string tableName)
    {
        ArgumentNullException.ThrowIfNull(storage);
        _table = storage.Tables.GetTableClient(tableName);
    }

    /// <summary>
    /// Writes the row, replacing what is there, except that a row whose pause flag answers a newer request
    /// (<see cref="ScheduleRecord.PauseSequence"/>) keeps that flag.
    /// </summary>
    /// <remarks>
    /// Two writers share the row: the schedule's orchestration (its whole state, at the start of each
    /// episode) and the API (the flag of a pause or resume, before the orchestration has applied it). The
    /// orchestration's write can be based on a state from before the request, and without the sequence
    /// check it would put the old flag back until its next episode. Read, decide and replace are one step
    /// through the row's ETag: a write that lost a race reads again.
    /// </remarks>
    public async Task UpsertAsync(ScheduleRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        await EnsureTableAsync(cancellationToken);
        while (true)
        {
            var existing = await _table.GetEntityIfExistsAsync<TableEntity>(record.Pipeline, record.Definition.Name, cancellationToken: cancellationToken);
            var toWrite = record;
            if (existing.HasValue && (existing.Value!.GetInt64("PauseSequence") ?? 0) > record.PauseSequence)
            {
                toWrite = record with { Paused = existing.Value.GetBoolean("Paused") ?? false, PauseSequence = existing.Value.GetInt64("PauseSequence") ?? 0 };
            }

            try
            {
                if (existing.HasValue)
                {
                    await _table.UpdateEntityAsync(ToEntity(toWrite), existing.Value!.ETag, TableUpdateMode.Replace, cancellationToken);
                }
                else
                {
                    await _table.AddEntityAsync(ToEntity(toWrite), cancellationToken);
                }

                return;
            }
            catch (RequestFailedException ex) when (ex.Status is 404 or 409 or 412)
            {
                // Someone wrote or removed the row between our read and write; decide again on what is there now
                // (a removed row is written anew, as an upsert would, until the orchestration applies the delete).
            }
        }
    }

    /// <summary>
    /// Records the pause flag of request number <paramref name="sequence"/>, so the listing shows it before the
    /// orchestration has applied it; a row that already answers this or a newer request is left alone.
    /// </summary>
    /// <returns>False when the schedule does not exist.</returns>
    public async Task<bool> SetPausedAsync(string pipeline, string name, bool paused, long sequence, CancellationToken cancellationToken = default)
    {
        await EnsureTableAsync(cancellationToken);
        while (true)
        {
            var existing = await _table.GetEntityIfExistsAsync<TableEntity>(pipeline, name, select: ["PauseSequence"], cancellationToken: cancellationToken);
            if (!existing.HasValue)
            {
                return false;
            }

            if ((existing.Value!.GetInt64("PauseSequence") ?? 0) >= sequence)
            {
                return true;
            }

            try
            {
                await _table.UpdateEntityAsync(new TableEntity(pipeline, name) { ["Paused"] = paused, ["PauseSequence"] = sequence }, existing.Value.ETag, TableUpdateMode.Merge, cancellationToken);
                return true;
            }
            catch (RequestFailedException ex) when (ex.Status is 404 or 412)
            {
                // Changed or removed since the read: look again.
            }
        }
    }

    /// <summary>The schedule's row, or null.</summary>
    public async Task<ScheduleRecord?> GetAsync(string pipeline, string name, CancellationToken cancellationToken = default)
    {
        await EnsureTableAsync(cancellationToken);
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(pipeline, name, cancellationToken: cancellationToken);
        return response.HasValue ? ToRecord(response.Value!) : null;
    }

    /// <summary>All schedules, or those of one pipeline, ordered by pipeline and name.</summary>
    public async Task<IReadOnlyList<ScheduleRecord>> ListAsync(string? pipeline = null, CancellationToken cancellationToken = default)
    {
        await EnsureTableAsync(cancellationToken);
        var result = new List<ScheduleRecord>();
        var query = pipeline is null
            ? _table.QueryAsync<TableEntity>(cancellationToken: cancellationToken)
            : _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {pipeline}"), cancellationToken: cancellationToken);
        await foreach (var entity in query)
        {
            result.Add(ToRecord(entity));
        }

        return result;
    }

    /// <summary>Removes the row; a missing row is fine.</summary>
    public async Task DeleteAsync(string pipeline, string name, CancellationToken cancellationToken = default)
    {
        await EnsureTableAsync(cancellationToken);
        await _table.DeleteEntityAsync(pipeline, name, ETag.All, cancellationToken);
    }

    private static TableEntity ToEntity(ScheduleRecord record) => new(record.Pipeline, record.Definition.Name)
    {
        ["Version"] = record.Version,
        ["Cron"] = record.Definition.Cron,
        ["TimeZone"] = record.Definition.TimeZone,
        ["Paused"] = record.Paused,
        ["PauseSequence"] = record.PauseSequence,
        ["Definition"] = DataConverter.Serialize(record.Definition),
        ["NextOccurrences"] = DataConverter.Serialize(record.NextOccurrences),
        ["LastRunId"] = record.LastRunId,
        ["LastFiredAt"] = record.LastFiredAt is { } f ? new DateTimeOffset(DateTime.SpecifyKind(f, DateTimeKind.Utc)) : null,
        ["Fired"] = record.Fired,
        ["Dropped"] = record.Dropped,
        ["Queued"] = record.Queued,
        ["LastError"] = record.LastError,
        ["Generation"] = record.Generation,
    };

    private static ScheduleRecord ToRecord(TableEntity e) => new()
    {
        Id = $"{e.PartitionKey}.{e.RowKey}",
        Pipeline = e.PartitionKey,
        Version = e.GetString("Version"),
        Definition = DataConverter.Deserialize<ScheduleDefinition>(e.GetString("Definition"))
            ?? new ScheduleDefinition { Name = e.RowKey, Cron = e.GetString("Cron") ?? string.Empty },
        Paused = e.GetBoolean("Paused") ?? false,
        PauseSequence = e.GetInt64("PauseSequence") ?? 0,
        NextOccurrences = DataConverter.Deserialize<List<DateTime>>(e.GetString("NextOccurrences")) ?? [],
        LastRunId = e.GetString("LastRunId"),
        LastFiredAt = e.GetDateTimeOffset("LastFiredAt")?.UtcDateTime,
        Fired = e.GetInt64("Fired") ?? 0,
        Dropped = e.GetInt64("Dropped") ?? 0,
        Queued = e.GetInt32("Queued") ?? 0,
        LastError = e.GetString("LastError"),
        Generation = e.GetInt64("Generation") ?? 0,
    };

    private async Task EnsureTableAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _created) == 0)
        {
            await _table.CreateIfNotExistsAsync(cancellationToken);
            Volatile.Write(ref _created, 1);
        }
    }
}
