using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using Serverless.Tracking.Client;

namespace Serverless.Tracking;

public sealed partial class TableTrackingStore
{
    private const string ModelHistoryTag = "mlflow.log-model.history";

    /// <inheritdoc />
    public async Task<Run> CreateRunAsync(string experimentId, string? runName, string? userId, long startTime, IReadOnlyList<Tag> tags, string? runId = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(tags);
        if (runId is not null && (runId.Length != 32 || !runId.All(char.IsAsciiHexDigitLower)))
        {
            throw TrackingException.Invalid($"Invalid run id '{runId}': a chosen run id must be 32 lowercase hex digits.");
        }

        var experiment = await GetExperimentAsync(experimentId, ct);
        if (experiment.LifecycleStage == LifecycleStage.Deleted)
        {
            throw TrackingException.Invalid($"The experiment {experimentId} must be in the 'active' state. Current state is deleted.");
        }

        var chosen = runId is not null;
        runId ??= Guid.NewGuid().ToString("N");
        var state = new RunState
        {
            RunId = runId,
            ExperimentId = experimentId,
            UserId = userId,
            StartTime = startTime,
            ArtifactUri = $"{(experiment.ArtifactLocation ?? $"mlflow-artifacts:/{experimentId}").TrimEnd('/')}/{runId}/artifacts",
        };
        foreach (var tag in tags)
        {
            state.Tags[tag.Key] = tag.Value;
        }

        state.RunName = runName ?? (state.Tags.TryGetValue(RunState.RunNameTag, out var tagged) ? tagged : $"run-{runId[..8]}");
        state.Tags[RunState.RunNameTag] = state.RunName;

        // Index first: a crash before the run row leaves an index entry whose run reads as absent.
        var index = new TableEntity(runId, "") { ["ExperimentId"] = experimentId };
        if (!chosen)
        {
            await _runIndex.UpsertEntityAsync(index, TableUpdateMode.Replace, ct);
        }
        else
        {
            // Run rows are partitioned by experiment, so only the index can tell that a chosen id is taken elsewhere;
            // an insert that fails as a conflict says so in the same round trip a blind write would cost.
            try
            {
                await _runIndex.AddEntityAsync(index, ct);
            }
            catch (RequestFailedException ex) when (ex.Status == 409)
            {
                var owner = (await _runIndex.GetEntityAsync<TableEntity>(runId, "", cancellationToken: ct)).Value.GetString("ExperimentId");
                if (owner != experimentId)
                {
                    throw TrackingException.Invalid($"Run '{runId}' already exists in experiment {owner}.");
                }
            }
        }

        Response response;
        try
        {
            response = await _runs.AddEntityAsync(state.ToEntity(), ct);
        }
        catch (RequestFailedException ex) when (chosen && ex.Status == 409)
        {
            // The same create again (the index above says this experiment owns the id): answer with the run it made.
            return await GetRunAsync(runId, ct);
        }

        state.ETag = response.Headers.ETag ?? default;
        _runExperiment[runId] = experimentId;
        Cache(state);
        return state.ToRun();
    }

    /// <inheritdoc />
    public async Task<Run> GetRunAsync(string runId, CancellationToken ct = default) =>
        (await LoadRunAsync(runId, useCache: false, ct)).ToRun();

    /// <inheritdoc />
    public Task<RunInfo> UpdateRunAsync(string runId, string? status, long? endTime, string? runName, CancellationToken ct = default) =>
        MutateRunAsync(runId, state =>
        {
            state.EnsureActive();
            state.Status = status ?? state.Status;
            state.EndTime = endTime ?? state.EndTime;
            if (runName is not null)
            {
                state.RunName = runName;
                state.Tags[RunState.RunNameTag] = runName;
            }

            return state.ToInfo();
        }, ct);

    /// <inheritdoc />
    public Task SetRunLifecycleAsync(string runId, string stage, CancellationToken ct = default) =>
        MutateRunAsync(runId, state =>
        {
            state.LifecycleStage = stage;
            return true;
        }, ct);

    /// <inheritdoc />
    public async Task LogBatchAsync(string runId, IReadOnlyList<Metric> metrics, IReadOnlyList<Param> parameters, IReadOnlyList<Tag> tags, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(tags);
        var gate = Gate(runId);
        await gate.WaitAsync(ct);
        try
        {
            // Everything that can reject the request is checked before the first write.
            var current = await LoadRunAsync(runId, useCache: true, ct);
            current.EnsureActive();
            CheckParams(current, parameters);

            // The point entities and the run row are in different tables and neither write needs the
            // other's result, so they go out together: a single log_metric costs one round trip, not
            // two. docs/tracking.md describes what a crash between them leaves.
            var points = metrics.Count > 0 ? WritePointsAsync(runId, metrics, ct) : Task.CompletedTask;
            var row = MutateRunCoreAsync(runId, state =>
            {
                state.EnsureActive();
                CheckParams(state, parameters);
                foreach (var p in parameters)
                {
                    state.Params[p.Key] = p.Value;
                }

                foreach (var t in tags)
                {
                    state.Tags[t.Key] = t.Value;
                    if (t.Key == RunState.RunNameTag)
                    {
                        state.RunName = t.Value;
                    }
                }

                foreach (var m in metrics)
                {
                    state.OfferLatest(m);
                }

                return true;
            }, ct);
            await Task.WhenAll(points, row);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <inheritdoc />
    public Task DeleteTagAsync(string runId, string key, CancellationToken ct = default) =>
        MutateRunAsync(runId, state =>
        {
            state.EnsureActive();
            if (!state.Tags.Remove(key))
            {
                throw TrackingException.NotFound($"No tag with name: {key} in run with id {runId}");
            }

            return true;
        }, ct);

    /// <inheritdoc />
    public Task LogInputsAsync(string runId, IReadOnlyList<DatasetInput> inputs, CancellationToken ct = default) =>
        MutateRunAsync(runId, state =>
        {
            state.EnsureActive();
            foreach (var input in inputs)
            {
                var same = state.Inputs.FindIndex(i => i.Dataset.Name == input.Dataset.Name && i.Dataset.Digest == input.Dataset.Digest);
                if (same >= 0)
                {
                    state.Inputs[same] = input;
                }
                else
                {
                    state.Inputs.Add(input);
                }
            }

            return true;
        }, ct);

    /// <inheritdoc />
    public Task AppendLoggedModelAsync(string runId, string modelJson, CancellationToken ct = default)
    {
        JsonNode model;
        try
        {
            model = JsonNode.Parse(modelJson) as JsonObject ?? throw TrackingException.Invalid("model_json must be a JSON object");
        }
        catch (JsonException e)
        {
            throw TrackingException.Invalid($"model_json is not valid JSON: {e.Message}");
        }

        return MutateRunAsync(runId, state =>
        {
            state.EnsureActive();
            var history = state.Tags.TryGetValue(ModelHistoryTag, out var existing) && JsonNode.Parse(existing) is JsonArray array ? array : [];
            history.Add(model.DeepClone());
            state.Tags[ModelHistoryTag] = history.ToJsonString();
            return true;
        }, ct);
    }

    private static void CheckParams(RunState state, IReadOnlyList<Param> parameters)
    {
        foreach (var p in parameters)
        {
            if (state.Params.TryGetValue(p.Key, out var old) && old != p.Value)
            {
                throw TrackingException.Invalid(
                    $"Changing param values is not allowed. Param with key='{p.Key}' was already logged with value='{old}' for run ID='{state.RunId}'. Attempted logging new value '{p.Value}'.");
            }
        }
    }

    private SemaphoreSlim Gate(string runId) => _runGates.GetOrAdd(runId, static _ => new SemaphoreSlim(1, 1));

    private async Task<T> MutateRunAsync<T>(string runId, Func<RunState, T> mutate, CancellationToken ct)
    {
        var gate = Gate(runId);
        await gate.WaitAsync(ct);
        try
        {
            return await MutateRunCoreAsync(runId, mutate, ct);
        }
        finally
        {
            gate.Release();
        }
    }

    // Optimistic concurrency on the run row: mutate a copy, write it If-Match the ETag it was read
    // with, and on a conflict (another instance wrote first) re-read and apply the change again.
    private async Task<T> MutateRunCoreAsync<T>(string runId, Func<RunState, T> mutate, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            var current = await LoadRunAsync(runId, useCache: attempt == 0, ct);
            var next = current.Clone();
            var result = mutate(next);
            try
            {
                var response = await _runs.UpdateEntityAsync(next.ToEntity(), current.ETag, TableUpdateMode.Replace, ct);
                next.ETag = response.Headers.ETag ?? default;
                Cache(next);
                return result;
            }
            catch (RequestFailedException e) when (e.Status == 412 && attempt < 10)
            {
                _runCache.TryRemove(runId, out _);
            }
            catch (RequestFailedException e) when (e.Status == 413 || e.ErrorCode == "EntityTooLarge" || e.ErrorCode == "RequestBodyTooLarge")
            {
                throw TrackingException.Invalid($"Run {runId} would exceed the 1 MiB stored per run (params, tags, latest metrics and inputs together).");
            }
        }
    }

    private async Task<RunState> LoadRunAsync(string runId, bool useCache, CancellationToken ct)
    {
        if (useCache && _runCache.TryGetValue(runId, out var cached))
        {
            return cached;
        }

        var experimentId = await FindExperimentOfRunAsync(runId, ct);
        var response = experimentId is null ? null : await _runs.GetEntityIfExistsAsync<TableEntity>(experimentId, runId, cancellationToken: ct);
        if (response is null || !response.HasValue)
        {
            throw TrackingException.NotFound($"Run with id={runId} not found");
        }

        var state = RunState.FromEntity(response.Value!);
        Cache(state);
        return state;
    }

    private async Task<string?> FindExperimentOfRunAsync(string runId, CancellationToken ct)
    {
        if (_runExperiment.TryGetValue(runId, out var known))
        {
            return known;
        }

        if (!IsRunId(runId))
        {
            return null;
        }

        var index = await _runIndex.GetEntityIfExistsAsync<TableEntity>(runId, "", cancellationToken: ct);
        if (!index.HasValue || index.Value!.GetString("ExperimentId") is not { } experimentId)
        {
            return null;
        }

        // A run never moves between experiments, so this mapping can be cached forever.
        _runExperiment[runId] = experimentId;
        return experimentId;
    }

    private static bool IsRunId(string runId) => runId.Length is > 0 and <= 64 && runId.All(char.IsAsciiLetterOrDigit);

    private void Cache(RunState state)
    {
        if (_runCache.Count >= _cacheSize)
        {
            _runCache.Clear();
        }

        _runCache[state.RunId] = state;
    }
}
