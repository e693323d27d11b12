using Serverless.Tracking.Client;
using Serverless.Tracking.Search;

namespace Serverless.Tracking;

/// <summary>
/// The in-process tracking API the rest of the platform (pipelines, sweeps, the dashboard) and the
/// MLflow endpoints call: MLflow's operations with MLflow's validation, over an <see cref="ITrackingStore"/>.
/// Every rejected call throws <see cref="TrackingException"/> before anything is stored.
/// </summary>
public sealed class TrackingService
{
    private static readonly HashSet<string> s_experimentNumeric = new HashSet<string>(StringComparer.Ordinal) { "creation_time", "last_update_time" };
    private static readonly HashSet<string> s_experimentText = new HashSet<string>(StringComparer.Ordinal) { "name", "experiment_id", "lifecycle_stage", "artifact_location" };
    private const int MaxBulkRuns = 100;
    private const int MaxBulkPointsPerRun = 2500;
    private readonly ITrackingStore _store;

    /// <summary>Creates the service over <paramref name="store"/>.</summary>
    public TrackingService(ITrackingStore store) => _store = store ?? throw new ArgumentNullException(nameof(store));

    /// <summary>The underlying store.</summary>
    public ITrackingStore Store => _store;

    /// <summary>Creates an experiment and returns its id.</summary>
    public Task<string> CreateExperimentAsync(string? name, string? artifactLocation = null, IReadOnlyList<Tag>? tags = null, CancellationToken ct = default)
    {
        Validation.Name(name, "name");
        tags ??= [];
        foreach (var tag in tags)
        {
            Validation.TagKey(tag?.Key, "tag key");
            Validation.Value(tag!.Value, Validation.MaxTagValueLength, "tag", tag.Key);
        }

        if (artifactLocation is { Length: > 0 } && !artifactLocation.StartsWith("mlflow-artifacts:/", StringComparison.Ordinal))
        {
            throw TrackingException.Invalid($"artifact_location '{artifactLocation}' is not supported: artifacts are kept in Blob storage behind mlflow-artifacts:/ URIs.");
        }

        return _store.CreateExperimentAsync(name!, string.IsNullOrEmpty(artifactLocation) ? null : artifactLocation, tags, ct);
    }

    /// <summary>Gets an experiment by id.</summary>
    public Task<Experiment> GetExperimentAsync(string? experimentId, CancellationToken ct = default) =>
        _store.GetExperimentAsync(Validation.Required(experimentId, "experiment_id"), ct);

    /// <summary>Gets an experiment by name (RESOURCE_DOES_NOT_EXIST when absent).</summary>
    public Task<Experiment> GetExperimentByNameAsync(string? name, CancellationToken ct = default) =>
        _store.GetExperimentByNameAsync(Validation.Required(name, "experiment_name"), ct);

    /// <summary>Searches experiments by name, tags and attributes.</summary>
    public async Task<MlflowPage<Experiment>> SearchExperimentsAsync(
        string? filter, int? maxResults, IReadOnlyList<string>? orderBy, string? pageToken, string? viewType, CancellationToken ct = default)
    {
        var parsed = SearchFilter.Parse(filter);
        parsed.Validate(s_experimentNumeric, s_experimentText, FilterEntityKind.Attribute, FilterEntityKind.Tag);
        var order = (orderBy ?? []).Select(OrderByClause.Parse).ToList();
        foreach (var clause in order)
        {
            if (clause.Kind != FilterEntityKind.Attribute || !(s_experimentNumeric.Contains(clause.Key) || s_experimentText.Contains(clause.Key)))
            {
                throw TrackingException.Invalid($"Invalid order_by '{clause.Key}': experiments can be ordered by name, experiment_id, creation_time or last_update_time.");
            }
        }

        var size = Validation.MaxResults(maxResults, 1000);
        var offset = PageToken.Decode(pageToken);
        var all = await _store.ListExperimentsAsync(Validation.View(viewType), ct);
        var matched = all.Where(e => ExperimentMatches(e, parsed)).ToList();
        matched.Sort((a, b) =>
        {
            foreach (var clause in order)
            {
                var c = CompareExperiments(a, b, clause.Key);
                if (c != 0)
                {
                    return clause.Ascending ? c : -c;
                }
            }

            var byCreation = (b.CreationTime ?? 0).CompareTo(a.CreationTime ?? 0);
            return byCreation != 0 ? byCreation : CompareExperiments(a, b, "experiment_id");
        });
        return new(matched.Skip(offset).Take(size).ToList(), PageToken.Next(offset, size, matched.Count));
    }

    /// <summary>Renames an experiment.</summary>
    public Task RenameExperimentAsync(string? experimentId, string? newName, CancellationToken ct = default)
    {
        Validation.Name(newName, "new_name");
        return _store.RenameExperimentAsync(Validation.Required(experimentId, "experiment_id"), newName!, ct);
    }

    /// <summary>Marks an experiment deleted.</summary>
    public Task DeleteExperimentAsync(string? experimentId, CancellationToken ct = default) =>
        _store.SetExperimentLifecycleAsync(Validation.Required(experimentId, "experiment_id"), LifecycleStage.Deleted, ct);

    /// <summary>Restores a deleted experiment.</summary>
    public Task RestoreExperimentAsync(string? experimentId, CancellationToken ct = default) =>
        _store.SetExperimentLifecycleAsync(Validation.Required(experimentId, "experiment_id"), LifecycleStage.Active, ct);

    /// <summary>Sets an experiment tag.</summary>
    public Task SetExperimentTagAsync(string? experimentId, string? key, string? value, CancellationToken ct = default)
    {
        Validation.TagKey(key, "key");
        Validation.Value(value, Validation.MaxTagValueLength, "tag", key!);
        return _store.SetExperimentTagAsync(Validation.Required(experimentId, "experiment_id"), new Tag(key!, value!), ct);
    }

    /// <summary>
    /// Starts a run; the experiment defaults to "0" (Default) as in MLflow. A caller-chosen
    /// <paramref name="runId"/> makes the create idempotent (see <see cref="ITrackingStore.CreateRunAsync"/>).
    /// </summary>
    public Task<Run> CreateRunAsync(string? experimentId, string? runName = null, string? userId = null, long? startTime = null, IReadOnlyList<Tag>? tags = null,
        string? runId = null, CancellationToken ct = default)
    {
        tags ??= [];
        Validation.Batch([], [], tags);
        return _store.CreateRunAsync(string.IsNullOrEmpty(experimentId) ? "0" : experimentId, runName, userId, startTime ?? MlflowClient.NowMilliseconds(), tags, runId, ct);
    }

    /// <summary>Gets a run.</summary>
    public Task<Run> GetRunAsync(string? runId, CancellationToken ct = default) =>
        _store.GetRunAsync(Validation.Required(runId, "run_id"), ct);

    /// <summary>Updates a run's status, end time or name.</summary>
    public Task<RunInfo> UpdateRunAsync(string? runId, string? status, long? endTime, string? runName, CancellationToken ct = default)
    {
        if (status is not null && status is not ("RUNNING" or "SCHEDULED" or "FINISHED" or "FAILED" or "KILLED"))
        {
            throw TrackingException.Invalid($"Invalid status '{status}': use RUNNING, SCHEDULED, FINISHED, FAILED or KILLED.");
        }

        if (runName is not null)
        {
            Validation.Value(runName, Validation.MaxTagValueLength, "run name", "run_name");
        }

        return _store.UpdateRunAsync(Validation.Required(runId, "run_id"), status, endTime, runName, ct);
    }

    /// <summary>Marks a run deleted.</summary>
    public Task DeleteRunAsync(string? runId, CancellationToken ct = default) =>
        _store.SetRunLifecycleAsync(Validation.Required(runId, "run_id"), LifecycleStage.Deleted, ct);

    /// <summary>Restores a deleted run.</summary>
    public Task RestoreRunAsync(string? runId, CancellationToken ct = default) =>
        _store.SetRunLifecycleAsync(Validation.Required(runId, "run_id"), LifecycleStage.Active, ct);

    /// <summary>Logs metrics, params and tags within MLflow's batch limits.</summary>
    public Task LogBatchAsync(string? runId, IReadOnlyList<Metric>? metrics, IReadOnlyList<Param>? parameters, IReadOnlyList<Tag>? tags, CancellationToken ct = default)
    {
        metrics ??= [];
        parameters ??= [];
        tags ??= [];
        Validation.Batch(metrics, parameters, tags);
        return _store.LogBatchAsync(Validation.Required(runId, "run_id"), metrics, parameters, tags, ct);
    }

    /// <summary>Logs one metric point.</summary>
    public Task LogMetricAsync(string? runId, Metric metric, CancellationToken ct = default) => LogBatchAsync(runId, [metric], [], [], ct);

    /// <summary>Logs one param.</summary>
    public Task LogParamAsync(string? runId, Param param, CancellationToken ct = default) => LogBatchAsync(runId, [], [param], [], ct);

    /// <summary>Sets one run tag.</summary>
    public Task SetTagAsync(string? runId, Tag tag, CancellationToken ct = default) => LogBatchAsync(runId, [], [], [tag], ct);

    /// <summary>Deletes a run tag.</summary>
    public Task DeleteTagAsync(string? runId, string? key, CancellationToken ct = default) =>
        _store.DeleteTagAsync(Validation.Required(runId, "run_id"), Validation.Required(key, "key"), ct);

    /// <summary>Records dataset inputs.</summary>
    public Task LogInputsAsync(string? runId, IReadOnlyList<DatasetInput>? inputs, CancellationToken ct = default) =>
        _store.LogInputsAsync(Validation.Required(runId, "run_id"), inputs ?? [], ct);

    /// <summary>Records a logged model in the run's model history tag.</summary>
    public Task LogModelAsync(string? runId, string? modelJson, CancellationToken ct = default) =>
        _store.AppendLoggedModelAsync(Validation.Required(runId, "run_id"), Validation.Required(modelJson, "model_json"), ct);

    /// <summary>One page of a metric's history ordered by step and timestamp.</summary>
    public async Task<MlflowPage<Metric>> GetMetricHistoryAsync(string? runId, string? key, int? maxResults, string? pageToken, CancellationToken ct = default)
    {
        var all = await _store.GetMetricHistoryAsync(Validation.Required(runId, "run_id"), Validation.Required(key, "metric_key"), ct);
        var offset = PageToken.Decode(pageToken);
        if (maxResults is null && offset == 0)
        {
            return new(all, null);
        }

        var size = Validation.MaxResults(maxResults, all.Count == 0 ? 1 : all.Count);
        return new(all.Skip(offset).Take(size).ToList(), PageToken.Next(offset, size, all.Count));
    }

    /// <summary>
    /// The history of one metric across up to 100 runs at evenly sampled steps (what the MLflow UI
    /// charts): <paramref name="startStep"/> and <paramref name="endStep"/> together or not at all,
    /// at most <paramref name="maxResults"/> (1–2,500, default 2,500) points per run.
    /// </summary>
    public async Task<IReadOnlyList<MetricWithRunId>> GetMetricHistoryBulkIntervalAsync(
        IReadOnlyList<string>? runIds, string? key, long? startStep, long? endStep, int? maxResults, CancellationToken ct = default)
    {
        if (runIds is null || runIds.Count == 0)
        {
            throw TrackingException.Invalid("Missing value for required parameter 'run_ids'.");
        }

        if (runIds.Count > MaxBulkRuns)
        {
            throw TrackingException.Invalid($"run_ids has {runIds.Count} entries; at most {MaxBulkRuns} runs can be requested at once.");
        }

        var metricKey = Validation.Required(key, "metric_key");
        if (startStep.HasValue != endStep.HasValue)
        {
            throw TrackingException.Invalid("If either start_step or end_step is given, both must be given.");
        }

        if (startStep > endStep)
        {
            throw TrackingException.Invalid($"end_step ({endStep}) must be greater than or equal to start_step ({startStep}).");
        }

        if (maxResults is < 1 or > MaxBulkPointsPerRun)
        {
            throw TrackingException.Invalid($"max_results must be between 1 and {MaxBulkPointsPerRun}, got {maxResults}.");
        }

        var ids = runIds.Select(id => Validation.Required(id, "run_ids")).Distinct(StringComparer.Ordinal).ToList();
        var histories = await Task.WhenAll(ids.Select(async id => (RunId: id, History: await _store.GetMetricHistoryAsync(id, metricKey, ct))));
        return MetricSampling.Select(histories, startStep, endStep, maxResults ?? MaxBulkPointsPerRun);
    }

    /// <summary>Searches runs with MLflow's filter language.</summary>
    public Task<MlflowPage<Run>> SearchRunsAsync(
        IReadOnlyList<string>? experimentIds, string? filter, int? maxResults, IReadOnlyList<string>? orderBy, string? pageToken, string? runViewType,
        CancellationToken ct = default)
    {
        var parsed = SearchFilter.Parse(filter);
        var order = (orderBy ?? []).Select(OrderByClause.Parse).ToList();
        RunQuery.Validate(parsed, order);
        return _store.SearchRunsAsync(experimentIds ?? [], parsed, order, Validation.View(runViewType), Validation.MaxResults(maxResults, 1000), pageToken, ct);
    }

    private static bool ExperimentMatches(Experiment e, SearchFilter filter) => filter.Clauses.All(c => c.Kind switch
    {
        FilterEntityKind.Tag => c.Matches(e.Tags?.FirstOrDefault(t => t.Key == c.Key)?.Value),
        _ when s_experimentNumeric.Contains(c.Key) => c.Matches(c.Key == "creation_time" ? e.CreationTime : e.LastUpdateTime),
        _ => c.Matches(ExperimentText(e, c.Key)),
    });

    private static string? ExperimentText(Experiment e, string key) => key switch
    {
        "name" => e.Name,
        "experiment_id" => e.ExperimentId,
        "lifecycle_stage" => e.LifecycleStage,
        "artifact_location" => e.ArtifactLocation,
        _ => null,
    };

    private static int CompareExperiments(Experiment a, Experiment b, string key) => key switch
    {
        "creation_time" => Nullable.Compare(a.CreationTime, b.CreationTime),
        "last_update_time" => Nullable.Compare(a.LastUpdateTime, b.LastUpdateTime),
        "experiment_id" => long.Parse(a.ExperimentId, System.Globalization.CultureInfo.InvariantCulture).CompareTo(long.Parse(b.ExperimentId, System.Globalization.CultureInfo.InvariantCulture)),
        _ => string.CompareOrdinal(ExperimentText(a, key), ExperimentText(b, key)),
    };
}
