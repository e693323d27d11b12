using System.Collections.Concurrent;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Serverless.Storage;
using Serverless.Tracking.Client;

namespace Serverless.Tracking;

/// <summary>
/// <see cref="ITrackingStore"/> on Azure Tables. See docs/tracking.md for the table layout, the write
/// order of each operation and what a crash between two writes leaves behind.
/// </summary>
public sealed partial class TableTrackingStore : ITrackingStore
{
    private const string ExperimentPartition = "e";
    private const string CounterKey = "counter";
    private const string DefaultExperimentId = "0";

    private readonly TableClient _experiments;
    private readonly TableClient _runs;
    private readonly TableClient _runIndex;
    private readonly TableClient _metrics;
    private readonly int _cacheSize;
    private readonly ConcurrentDictionary<string, string> _runExperiment = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RunState> _runCache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _runGates = new(StringComparer.Ordinal);
    private readonly Search.RankHints _rankHints = new();

    /// <summary>Creates the store over the account in <paramref name="clients"/>.</summary>
    public TableTrackingStore(StorageClients clients, TrackingOptions options)
    {
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(options);
        var prefix = options.TablePrefix;
        _experiments = clients.Tables.GetTableClient(prefix + "experiments");
        _runs = clients.Tables.GetTableClient(prefix + "runs");
        _runIndex = clients.Tables.GetTableClient(prefix + "runindex");
        _metrics = clients.Tables.GetTableClient(prefix + "metrics");
        _cacheSize = Math.Max(16, options.RunCacheSize);
    }

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken ct = default)
    {
        await Task.WhenAll(
            _experiments.CreateIfNotExistsAsync(ct),
            _runs.CreateIfNotExistsAsync(ct),
            _runIndex.CreateIfNotExistsAsync(ct),
            _metrics.CreateIfNotExistsAsync(ct));

        var counter = await _experiments.GetEntityIfExistsAsync<TableEntity>(ExperimentPartition, CounterKey, cancellationToken: ct);
        if (counter.HasValue)
        {
            return;
        }

        // The Default experiment exists from the start: the MLflow client logs to "0" when no experiment is set.
        var now = MlflowClient.NowMilliseconds();
        var actions = new List<TableTransactionAction>
        {
            new(TableTransactionActionType.Add, new TableEntity(ExperimentPartition, CounterKey) { ["NextId"] = 1L }),
            new(TableTransactionActionType.Add, new TableEntity(ExperimentPartition, NameKey("Default")) { ["ExperimentId"] = DefaultExperimentId }),
            new(TableTransactionActionType.Add, ExperimentEntity(DefaultExperimentId, "Default", "mlflow-artifacts:/0", now, [])),
        };
        try
        {
            await _experiments.SubmitTransactionAsync(actions, ct);
        }
        catch (TableTransactionFailedException e) when (e.Status == 409)
        {
            // Another instance initialised the store at the same moment.
        }
    }

    /// <inheritdoc />
    public async Task<string> CreateExperimentAsync(string name, string? artifactLocation, IReadOnlyList<Tag> tags, CancellationToken ct = default)
    {
        for (var attempt = 0; ; attempt++)
        {
            var counter = (await _experiments.GetEntityAsync<TableEntity>(ExperimentPartition, CounterKey, cancellationToken: ct)).Value;
            var id = (counter.GetInt64("NextId") ?? 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            counter["NextId"] = (counter.GetInt64("NextId") ?? 1) + 1;
            var now = MlflowClient.NowMilliseconds();

            // Counter, name reservation and experiment row commit together or not at all.
            var actions = new List<TableTransactionAction>
            {
                new(TableTransactionActionType.UpdateReplace, counter, counter.ETag),
                new(TableTransactionActionType.Add, new TableEntity(ExperimentPartition, NameKey(name)) { ["ExperimentId"] = id }),
                new(TableTransactionActionType.Add, ExperimentEntity(id, name, artifactLocation ?? $"mlflow-artifacts:/{id}", now, tags)),
            };
            try
            {
                await _experiments.SubmitTransactionAsync(actions, ct);
                return id;
            }
            catch (TableTransactionFailedException e) when (e.Status == 409 && e.FailedTransactionActionIndex == 1)
            {
                throw TrackingException.AlreadyExists($"Experiment '{name}' already exists.");
            }
            catch (TableTransactionFailedException e) when (e.Status == 412 && attempt < 20)
            {
                // Another create took the same id; read the counter again.
            }
        }
    }

    /// <inheritdoc />
    public async Task<Experiment> GetExperimentAsync(string experimentId, CancellationToken ct = default) =>
        ToExperiment(await GetExperimentEntityAsync(experimentId, ct));

    /// <inheritdoc />
    public async Task<Experiment> GetExperimentByNameAsync(string name, CancellationToken ct = default)
    {
        var index = await _experiments.GetEntityIfExistsAsync<TableEntity>(ExperimentPartition, NameKey(name), cancellationToken: ct);
        if (!index.HasValue || index.Value!.GetString("ExperimentId") is not { } id)
        {
            throw TrackingException.NotFound($"Could not find experiment with name '{name}'");
        }

        return await GetExperimentAsync(id, ct);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Experiment>> ListExperimentsAsync(ViewType view, CancellationToken ct = default)
    {
        var result = new List<Experiment>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {ExperimentPartition} and RowKey ge {"i_"} and RowKey lt {"i`"}");
        await foreach (var entity in _experiments.QueryAsync<TableEntity>(filter, cancellationToken: ct))
        {
            var experiment = ToExperiment(entity);
            if (LifecycleStage.Matches(experiment.LifecycleStage, view))
            {
                result.Add(experiment);
            }
        }

        return result;
    }

    /// <inheritdoc />
    public async Task RenameExperimentAsync(string experimentId, string newName, CancellationToken ct = default)
    {
        var entity = await GetExperimentEntityAsync(experimentId, ct);
        var oldName = entity.GetString("Name")!;
        if (oldName == newName)
        {
            return;
        }

        entity["Name"] = newName;
        entity["LastUpdateTime"] = MlflowClient.NowMilliseconds();
        var actions = new List<TableTransactionAction>
        {
            new(TableTransactionActionType.UpdateReplace, entity, entity.ETag),
            new(TableTransactionActionType.Add, new TableEntity(ExperimentPartition, NameKey(newName)) { ["ExperimentId"] = experimentId }),
            new(TableTransactionActionType.Delete, new TableEntity(ExperimentPartition, NameKey(oldName)), ETag.All),
        };
        try
        {
            await _experiments.SubmitTransactionAsync(actions, ct);
        }
        catch (TableTransactionFailedException e) when (e.Status == 409 && e.FailedTransactionActionIndex == 1)
        {
            throw TrackingException.AlreadyExists($"Experiment '{newName}' already exists.");
        }
        catch (TableTransactionFailedException e) when (e.Status == 412)
        {
            throw new TrackingException(MlflowErrorCodes.InvalidState, $"Experiment {experimentId} changed while it was being renamed; retry.");
        }
    }

    /// <inheritdoc />
    public async Task SetExperimentLifecycleAsync(string experimentId, string stage, CancellationToken ct = default)
    {
        var entity = await GetExperimentEntityAsync(experimentId, ct);
        if (experimentId == DefaultExperimentId && stage == LifecycleStage.Deleted)
        {
            throw TrackingException.Invalid("Cannot delete the default experiment '0'.");
        }

        // MLflow deletes an experiment's runs with it. Runs go first on delete and last on restore,
        // so a crash part-way never shows active runs of a deleted experiment; repeating the call
        // finishes the sweep (see docs/tracking.md).
        if (stage == LifecycleStage.Deleted)
        {
            await CascadeToRunsAsync(experimentId, deleted: true, ct);
            entity = await GetExperimentEntityAsync(experimentId, ct);
        }

        entity["LifecycleStage"] = stage;
        entity["LastUpdateTime"] = MlflowClient.NowMilliseconds();
        await _experiments.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, ct);
        if (stage == LifecycleStage.Active)
        {
            await CascadeToRunsAsync(experimentId, deleted: false, ct);
        }
    }

    /// <inheritdoc />
    public async Task SetExperimentTagAsync(string experimentId, Tag tag, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(tag);
        for (var attempt = 0; ; attempt++)
        {
            var entity = await GetExperimentEntityAsync(experimentId, ct);
            if (entity.GetString("LifecycleStage") == LifecycleStage.Deleted)
            {
                throw TrackingException.Invalid($"The experiment {experimentId} must be in the 'active' state.");
            }

            var tags = ReadTags(entity);
            tags[tag.Key] = tag.Value;
            ChunkedColumn.Write(entity, "Tags", JsonSerializer.Serialize(tags, MlflowJson.Options));
            try
            {
                await _experiments.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, ct);
                return;
            }
            catch (RequestFailedException e) when (e.Status == 412 && attempt < 10)
            {
                // Concurrent tag write; re-read and apply ours on top.
            }
        }
    }

    private static string NameKey(string name) => "n_" + KeyEncoding.Encode(name);

    private static string IdKey(string id) => "i_" + id;

    private static TableEntity ExperimentEntity(string id, string name, string artifactLocation, long now, IReadOnlyList<Tag> tags)
    {
        var entity = new TableEntity(ExperimentPartition, IdKey(id))
        {
            ["ExperimentId"] = id,
            ["Name"] = name,
            ["ArtifactLocation"] = artifactLocation,
            ["LifecycleStage"] = LifecycleStage.Active,
            ["CreationTime"] = now,
            ["LastUpdateTime"] = now,
        };
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            map[tag.Key] = tag.Value;
        }

        ChunkedColumn.Write(entity, "Tags", JsonSerializer.Serialize(map, MlflowJson.Options));
        return entity;
    }

    private async Task<TableEntity> GetExperimentEntityAsync(string experimentId, CancellationToken ct)
    {
        if (!IsExperimentId(experimentId))
        {
            throw TrackingException.NotFound($"No Experiment with id={experimentId} exists");
        }

        var response = await _experiments.GetEntityIfExistsAsync<TableEntity>(ExperimentPartition, IdKey(experimentId), cancellationToken: ct);
        return response.HasValue ? response.Value! : throw TrackingException.NotFound($"No Experiment with id={experimentId} exists");
    }

    private static bool IsExperimentId(string id) => id.Length is > 0 and <= 19 && id.All(char.IsAsciiDigit);

    private static Dictionary<string, string> ReadTags(TableEntity entity) =>
        ChunkedColumn.Read(entity, "Tags") is { Length: > 0 } json
            ? new(JsonSerializer.Deserialize<Dictionary<string, string>>(json, MlflowJson.Options) ?? [], StringComparer.Ordinal)
            : new(StringComparer.Ordinal);

    private static Experiment ToExperiment(TableEntity entity)
    {
        var tags = ReadTags(entity);
        return new Experiment
        {
            ExperimentId = entity.GetString("ExperimentId")!,
            Name = entity.GetString("Name")!,
            ArtifactLocation = entity.GetString("ArtifactLocation"),
            LifecycleStage = entity.GetString("LifecycleStage"),
            CreationTime = entity.GetInt64("CreationTime"),
            LastUpdateTime = entity.GetInt64("LastUpdateTime"),
            Tags = tags.Count == 0 ? null : tags.Select(t => new Tag(t.Key, t.Value)).ToList(),
        };
    }
}
