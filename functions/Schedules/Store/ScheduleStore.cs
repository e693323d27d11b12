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

    /// <summary>Writes the row, replacing what is there.</summary>
    public async Task UpsertAsync(ScheduleRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        await EnsureTableAsync(cancellationToken);
        var entity = new TableEntity(record.Pipeline, record.Definition.Name)
        {
            ["Version"] = record.Version,
            ["Cron"] = record.Definition.Cron,
            ["TimeZone"] = record.Definition.TimeZone,
            ["Paused"] = record.Paused,
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
        await _table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>Sets only the paused flag, so a pause shows in the listing before the orchestration has seen it.</summary>
    /// <returns>False when the schedule does not exist.</returns>
    public async Task<bool> SetPausedAsync(string pipeline, string name, bool paused, CancellationToken cancellationToken = default)
    {
        await EnsureTableAsync(cancellationToken);
        try
        {
            await _table.UpdateEntityAsync(new TableEntity(pipeline, name) { ["Paused"] = paused }, ETag.All, TableUpdateMode.Merge, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return false;
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

    private static ScheduleRecord ToRecord(TableEntity e) => new()
    {
        Id = $"{e.PartitionKey}.{e.RowKey}",
        Pipeline = e.PartitionKey,
        Version = e.GetString("Version"),
        Definition = DataConverter.Deserialize<ScheduleDefinition>(e.GetString("Definition"))
            ?? new ScheduleDefinition { Name = e.RowKey, Cron = e.GetString("Cron") ?? string.Empty },
        Paused = e.GetBoolean("Paused") ?? false,
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
