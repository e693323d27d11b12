using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Serverless.Storage;
using Serverless.Tracking.Client;
using static Serverless.Tracking.RegistryRows;

namespace Serverless.Tracking;

/// <summary>
/// <see cref="IModelRegistryStore"/> on one Azure Table partition. Model rows are keyed by name and
/// carry an immutable internal id; version rows are keyed by that id, so a rename moves one row and
/// every multi-row change (new version + counter, rename, stage moves) is one atomic transaction.
/// </summary>
public sealed class TableModelRegistryStore : IModelRegistryStore
{
    private readonly TableClient _table;

    /// <summary>Creates the store over the account in <paramref name="clients"/>.</summary>
    public TableModelRegistryStore(StorageClients clients, TrackingOptions options)
    {
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(options);
        _table = clients.Tables.GetTableClient(options.TablePrefix + "registry");
    }

    /// <inheritdoc />
    public Task InitializeAsync(CancellationToken ct = default) => _table.CreateIfNotExistsAsync(ct);

    /// <inheritdoc />
    public async Task<RegisteredModel> CreateRegisteredModelAsync(string name, string? description, IReadOnlyList<Tag> tags, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(tags);
        var now = MlflowClient.NowMilliseconds();
        var entity = new TableEntity(Partition, ModelKey(name))
        {
            ["Name"] = name,
            ["ModelId"] = Guid.NewGuid().ToString("N"),
            ["Description"] = description ?? "",
            ["CreationTimestamp"] = now,
            ["LastUpdatedTimestamp"] = now,
            ["NextVersion"] = 1L,
        };
        WriteMap(entity, "Tags", tags.GroupBy(t => t.Key).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal));
        WriteMap(entity, "Aliases", new(StringComparer.Ordinal));
        try
        {
            await _table.AddEntityAsync(entity, ct);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            throw TrackingException.AlreadyExists($"Registered Model (name={name}) already exists.");
        }

        return ToModel(entity, []);
    }

    /// <inheritdoc />
    public async Task<RegisteredModel> GetRegisteredModelAsync(string name, CancellationToken ct = default)
    {
        var model = await GetModelRowAsync(name, ct);
        return ToModel(model, await GetVersionRowsAsync(model, ct));
    }

    /// <inheritdoc />
    public async Task<RegisteredModel> RenameRegisteredModelAsync(string name, string newName, CancellationToken ct = default)
    {
        var model = await GetModelRowAsync(name, ct);
        if (name == newName)
        {
            return ToModel(model, await GetVersionRowsAsync(model, ct));
        }

        var renamed = new TableEntity(model) { PartitionKey = Partition, RowKey = ModelKey(newName) };
        renamed["Name"] = newName;
        renamed["LastUpdatedTimestamp"] = MlflowClient.NowMilliseconds();
        try
        {
            await _table.SubmitTransactionAsync(
                [
                    new(TableTransactionActionType.Delete, model, model.ETag),
                    new(TableTransactionActionType.Add, renamed),
                ], ct);
        }
        catch (TableTransactionFailedException e) when (e.Status == 409)
        {
            throw TrackingException.AlreadyExists($"Registered Model (name={newName}) already exists.");
        }
        catch (TableTransactionFailedException e) when (e.Status == 412)
        {
            throw new TrackingException(MlflowErrorCodes.InvalidState, $"Registered model {name} changed while it was being renamed; retry.");
        }

        return ToModel(renamed, await GetVersionRowsAsync(renamed, ct));
    }

    /// <inheritdoc />
    public async Task<RegisteredModel> UpdateRegisteredModelAsync(string name, string? description, CancellationToken ct = default)
    {
        var model = await MutateModelAsync(name, m => m["Description"] = description ?? "", ct);
        return ToModel(model, await GetVersionRowsAsync(model, ct));
    }

    /// <inheritdoc />
    public async Task DeleteRegisteredModelAsync(string name, CancellationToken ct = default)
    {
        var model = await GetModelRowAsync(name, ct);
        var versions = await GetVersionRowsAsync(model, ct);

        // The model row goes first: from then on the name is free and its versions are unreachable
        // orphans, which the version deletes below clean up (or a retry of this call, if we crash).
        await _table.DeleteEntityAsync(model, model.ETag, ct);
        foreach (var chunk in versions.Chunk(100))
        {
            await _table.SubmitTransactionAsync(chunk.Select(v => new TableTransactionAction(TableTransactionActionType.Delete, v, ETag.All)), ct);
        }
    }

    /// <inheritdoc />
    public async Task SetRegisteredModelTagAsync(string name, string key, string? value, CancellationToken ct = default) =>
        await MutateModelAsync(name, model =>
        {
            var tags = ReadMap(model, "Tags");
            if (value is null)
            {
                tags.Remove(key);
            }
            else
            {
                tags[key] = value;
            }

            WriteMap(model, "Tags", tags);
        }, ct);

    /// <inheritdoc />
    public async Task<IReadOnlyList<RegisteredModel>> ListRegisteredModelsAsync(CancellationToken ct = default)
    {
        var (models, versions) = await ReadPartitionAsync(ct);
        return models.Values.Select(m => ToModel(m, versions.GetValueOrDefault(m.GetString("ModelId")!, []))).ToList();
    }

    /// <inheritdoc />
    public async Task<ModelVersion> CreateModelVersionAsync(
        string name, string source, string? runId, IReadOnlyList<Tag> tags, string? runLink, string? description, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(tags);
        for (var attempt = 0; ; attempt++)
        {
            var model = await GetModelRowAsync(name, ct);
            var number = model.GetInt64("NextVersion") ?? 1;
            var now = MlflowClient.NowMilliseconds();
            model["NextVersion"] = number + 1;
            model["LastUpdatedTimestamp"] = now;
            var version = new TableEntity(Partition, VersionKey(model.GetString("ModelId")!, number))
            {
                ["Version"] = number,
                ["Source"] = source,
                ["RunId"] = runId ?? "",
                ["RunLink"] = runLink ?? "",
                ["Description"] = description ?? "",
                ["Stage"] = "None",
                ["Status"] = "READY",
                ["CreationTimestamp"] = now,
                ["LastUpdatedTimestamp"] = now,
            };
            WriteMap(version, "Tags", tags.GroupBy(t => t.Key).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal));
            try
            {
                // The counter bump and the version row commit together: no gaps, no duplicates.
                await _table.SubmitTransactionAsync(
                    [
                        new(TableTransactionActionType.UpdateReplace, model, model.ETag),
                        new(TableTransactionActionType.Add, version),
                    ], ct);
                return ToVersion(version, model);
            }
            catch (TableTransactionFailedException e) when (e.Status == 412 && attempt < 20)
            {
                // Another version was created concurrently; take the next number.
            }
        }
    }

    /// <inheritdoc />
    public async Task<ModelVersion> GetModelVersionAsync(string name, string version, CancellationToken ct = default)
    {
        var model = await GetModelRowAsync(name, ct);
        return ToVersion(await GetVersionRowAsync(model, version, ct), model);
    }

    /// <inheritdoc />
    public async Task<ModelVersion> UpdateModelVersionAsync(string name, string version, string? description, CancellationToken ct = default) =>
        await MutateVersionAsync(name, version, v => v["Description"] = description ?? "", ct);

    /// <inheritdoc />
    public async Task DeleteModelVersionAsync(string name, string version, CancellationToken ct = default)
    {
        var model = await GetModelRowAsync(name, ct);
        var row = await GetVersionRowAsync(model, version, ct);
        var aliases = ReadMap(model, "Aliases");
        var kept = aliases.Where(a => a.Value != version).ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal);
        var actions = new List<TableTransactionAction> { new(TableTransactionActionType.Delete, row, row.ETag) };
        if (kept.Count != aliases.Count)
        {
            WriteMap(model, "Aliases", kept);
            actions.Add(new(TableTransactionActionType.UpdateReplace, model, model.ETag));
        }

        await _table.SubmitTransactionAsync(actions, ct);
    }

    /// <inheritdoc />
    public async Task SetModelVersionTagAsync(string name, string version, string key, string? value, CancellationToken ct = default) =>
        await MutateVersionAsync(name, version, v =>
        {
            var tags = ReadMap(v, "Tags");
            if (value is null)
            {
                tags.Remove(key);
            }
            else
            {
                tags[key] = value;
            }

            WriteMap(v, "Tags", tags);
        }, ct);

    /// <inheritdoc />
    public async Task<ModelVersion> TransitionStageAsync(string name, string version, string stage, bool archiveExisting, CancellationToken ct = default)
    {
        var model = await GetModelRowAsync(name, ct);
        var target = await GetVersionRowAsync(model, version, ct);
        var now = MlflowClient.NowMilliseconds();
        target["Stage"] = stage;
        target["LastUpdatedTimestamp"] = now;
        var actions = new List<TableTransactionAction> { new(TableTransactionActionType.UpdateReplace, target, target.ETag) };
        if (archiveExisting && stage is "Staging" or "Production")
        {
            foreach (var other in await GetVersionRowsAsync(model, ct))
            {
                if (other.RowKey != target.RowKey && other.GetString("Stage") == stage)
                {
                    other["Stage"] = "Archived";
                    other["LastUpdatedTimestamp"] = now;
                    actions.Add(new(TableTransactionActionType.UpdateReplace, other, other.ETag));
                }
            }
        }

        foreach (var chunk in actions.Chunk(100))
        {
            await _table.SubmitTransactionAsync(chunk, ct);
        }

        return ToVersion(target, model);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ModelVersion>> ListModelVersionsAsync(string? name, CancellationToken ct = default)
    {
        if (name is not null)
        {
            var row = await _table.GetEntityIfExistsAsync<TableEntity>(Partition, ModelKey(name), cancellationToken: ct);
            return row.HasValue ? (await GetVersionRowsAsync(row.Value!, ct)).Select(v => ToVersion(v, row.Value!)).ToList() : [];
        }

        var (models, versions) = await ReadPartitionAsync(ct);
        return models.Values.SelectMany(m => versions.GetValueOrDefault(m.GetString("ModelId")!, []).Select(v => ToVersion(v, m))).ToList();
    }

    /// <inheritdoc />
    public async Task SetAliasAsync(string name, string alias, string version, CancellationToken ct = default)
    {
        var model = await GetModelRowAsync(name, ct);
        await GetVersionRowAsync(model, version, ct);
        await MutateModelAsync(name, m =>
        {
            var aliases = ReadMap(m, "Aliases");
            aliases[alias] = version;
            WriteMap(m, "Aliases", aliases);
        }, ct);
    }

    /// <inheritdoc />
    public async Task DeleteAliasAsync(string name, string alias, CancellationToken ct = default) =>
        await MutateModelAsync(name, m =>
        {
            var aliases = ReadMap(m, "Aliases");
            aliases.Remove(alias);
            WriteMap(m, "Aliases", aliases);
        }, ct);

    /// <inheritdoc />
    public async Task<ModelVersion> GetVersionByAliasAsync(string name, string alias, CancellationToken ct = default)
    {
        var model = await GetModelRowAsync(name, ct);
        if (!ReadMap(model, "Aliases").TryGetValue(alias, out var version))
        {
            throw TrackingException.NotFound($"Registered model alias {alias} not found.");
        }

        return ToVersion(await GetVersionRowAsync(model, version, ct), model);
    }

    private async Task<TableEntity> GetModelRowAsync(string name, CancellationToken ct)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(Partition, ModelKey(name), cancellationToken: ct);
        return row.HasValue ? row.Value! : throw TrackingException.NotFound($"Registered Model with name={name} not found");
    }

    private async Task<TableEntity> GetVersionRowAsync(TableEntity model, string version, CancellationToken ct)
    {
        var name = model.GetString("Name");
        if (!long.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1)
        {
            throw TrackingException.Invalid($"Model version must be a positive integer, got '{version}'.");
        }

        var row = await _table.GetEntityIfExistsAsync<TableEntity>(Partition, VersionKey(model.GetString("ModelId")!, number), cancellationToken: ct);
        return row.HasValue ? row.Value! : throw TrackingException.NotFound($"Model Version (name={name}, version={version}) not found");
    }

    private async Task<List<TableEntity>> GetVersionRowsAsync(TableEntity model, CancellationToken ct)
    {
        var id = model.GetString("ModelId")!;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and RowKey ge {VersionRangeStart(id)} and RowKey lt {VersionRangeEnd(id)}");
        var rows = new List<TableEntity>();
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, cancellationToken: ct))
        {
            rows.Add(row);
        }

        return rows;
    }

    private async Task<(Dictionary<string, TableEntity> Models, Dictionary<string, List<TableEntity>> Versions)> ReadPartitionAsync(CancellationToken ct)
    {
        var models = new Dictionary<string, TableEntity>(StringComparer.Ordinal);
        var versions = new Dictionary<string, List<TableEntity>>(StringComparer.Ordinal);
        await foreach (var row in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Partition}"), cancellationToken: ct))
        {
            if (row.RowKey.StartsWith(ModelPrefix, StringComparison.Ordinal))
            {
                models[row.GetString("ModelId")!] = row;
            }
            else if (row.RowKey.StartsWith(VersionPrefix, StringComparison.Ordinal))
            {
                var modelId = row.RowKey[VersionPrefix.Length..row.RowKey.LastIndexOf('_')];
                if (!versions.TryGetValue(modelId, out var list))
                {
                    versions[modelId] = list = [];
                }

                list.Add(row);
            }
        }

        return (models, versions);
    }

    private async Task<TableEntity> MutateModelAsync(string name, Action<TableEntity> change, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            var model = await GetModelRowAsync(name, ct);
            change(model);
            model["LastUpdatedTimestamp"] = MlflowClient.NowMilliseconds();
            try
            {
                var response = await _table.UpdateEntityAsync(model, model.ETag, TableUpdateMode.Replace, ct);
                model.ETag = response.Headers.ETag ?? default;
                return model;
            }
            catch (RequestFailedException e) when (e.Status == 412 && attempt < 10)
            {
                // Concurrent change to the same model; re-read and apply ours on top.
            }
        }
    }

    private async Task<ModelVersion> MutateVersionAsync(string name, string version, Action<TableEntity> change, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            var model = await GetModelRowAsync(name, ct);
            var row = await GetVersionRowAsync(model, version, ct);
            change(row);
            row["LastUpdatedTimestamp"] = MlflowClient.NowMilliseconds();
            try
            {
                await _table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, ct);
                return ToVersion(row, model);
            }
            catch (RequestFailedException e) when (e.Status == 412 && attempt < 10)
            {
                // Concurrent change to the same version; re-read and apply ours on top.
            }
        }
    }
}
