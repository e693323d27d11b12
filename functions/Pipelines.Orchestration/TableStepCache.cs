using Azure;
using Azure.Data.Tables;
using Serverless.Orchestration;
using Serverless.Pipelines.Planning;
using Serverless.Pipelines.Running;
using Serverless.Storage;

namespace Serverless.Pipelines.Orchestration;

/// <summary>The step cache on a table: one row per cache key holding the successful result as JSON.</summary>
public sealed class TableStepCache : IStepCache
{
    private readonly TableClient _table;
    private int _created;

    /// <summary>Creates the cache on table <paramref name="tableName"/> (created on first use).</summary>
    public TableStepCache(StorageClients storage, string tableName)
    {
        ArgumentNullException.ThrowIfNull(storage);
        _table = storage.Tables.GetTableClient(tableName);
    }

    /// <inheritdoc />
    public async Task<StepResult?> TryGetAsync(string key, CancellationToken cancellationToken = default)
    {
        await EnsureTableAsync(cancellationToken);
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(RowKeyOf(key), string.Empty, cancellationToken: cancellationToken);
        return row.HasValue && row.Value!.GetString("Result") is { } json ? DataConverter.Deserialize<StepResult>(json) : null;
    }

    /// <inheritdoc />
    public async Task PutAsync(string key, StepResult result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(result);
        await EnsureTableAsync(cancellationToken);
        var entity = new TableEntity(RowKeyOf(key), string.Empty) { ["Result"] = DataConverter.Serialize(result) };
        await _table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
    }

    // Keys are "sha256:HEX"; the colon is legal in keys but the hex alone is shorter and unambiguous.
    private static string RowKeyOf(string key) => key.StartsWith("sha256:", StringComparison.Ordinal) ? key["sha256:".Length..] : key;

    private async Task EnsureTableAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _created) == 0)
        {
            try
            {
                await _table.CreateIfNotExistsAsync(cancellationToken);
            }
            catch (RequestFailedException ex) when (ex.Status == 409)
            {
                // Created by a concurrent caller.
            }

            Volatile.Write(ref _created, 1);
        }
    }
}
