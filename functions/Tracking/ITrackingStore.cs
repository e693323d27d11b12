using Serverless.Tracking.Client;
using Serverless.Tracking.Search;

namespace Serverless.Tracking;

/// <summary>
/// Persistence of experiments, runs and metric history. Batch-first: <see cref="LogBatchAsync"/> is
/// the one write path for metrics, params and tags. Inputs are validated by <see cref="TrackingService"/>;
/// the store enforces the rules that need stored state (unique names, immutable params).
/// </summary>
public interface ITrackingStore
{
    /// <summary>Creates tables and the Default experiment ("0") if missing.</summary>
    Task InitializeAsync(CancellationToken ct = default);

    /// <summary>Creates an experiment; RESOURCE_ALREADY_EXISTS when the name is taken.</summary>
    Task<string> CreateExperimentAsync(string name, string? artifactLocation, IReadOnlyList<Tag> tags, CancellationToken ct = default);

    /// <summary>Gets an experiment; RESOURCE_DOES_NOT_EXIST when absent.</summary>
    Task<Experiment> GetExperimentAsync(string experimentId, CancellationToken ct = default);

    /// <summary>Gets an experiment by name; RESOURCE_DOES_NOT_EXIST when absent.</summary>
    Task<Experiment> GetExperimentByNameAsync(string name, CancellationToken ct = default);

    /// <summary>All experiments in <paramref name="view"/>.</summary>
    Task<IReadOnlyList<Experiment>> ListExperimentsAsync(ViewType view, CancellationToken ct = default);

    /// <summary>Renames an experiment.</summary>
    Task RenameExperimentAsync(string experimentId, string newName, CancellationToken ct = default);

    /// <summary>Sets the lifecycle stage (delete/restore).</summary>
    Task SetExperimentLifecycleAsync(string experimentId, string stage, CancellationToken ct = default);

    /// <summary>Sets an experiment tag.</summary>
    Task SetExperimentTagAsync(string experimentId, Tag tag, CancellationToken ct = default);

    /// <summary>
    /// Creates a run in an existing, active experiment. With <paramref name="runId"/> (32 lowercase hex digits)
    /// the caller chooses the id, and creating the same id again in the same experiment returns the existing run:
    /// a retried create (e.g. an activity delivered twice) makes no second run.
    /// </summary>
    Task<Run> CreateRunAsync(string experimentId, string? runName, string? userId, long startTime, IReadOnlyList<Tag> tags, string? runId = null, CancellationToken ct = default);

    /// <summary>Gets a run with latest metrics, params, tags and inputs.</summary>
    Task<Run> GetRunAsync(string runId, CancellationToken ct = default);

    /// <summary>Updates status, end time and name; null leaves a field unchanged.</summary>
    Task<RunInfo> UpdateRunAsync(string runId, string? status, long? endTime, string? runName, CancellationToken ct = default);

    /// <summary>Sets the lifecycle stage (delete/restore).</summary>
    Task SetRunLifecycleAsync(string runId, string stage, CancellationToken ct = default);

    /// <summary>Logs metrics, params and tags; nothing is stored when a param would change value.</summary>
    Task LogBatchAsync(string runId, IReadOnlyList<Metric> metrics, IReadOnlyList<Param> parameters, IReadOnlyList<Tag> tags, CancellationToken ct = default);

    /// <summary>Deletes a run tag; RESOURCE_DOES_NOT_EXIST when absent.</summary>
    Task DeleteTagAsync(string runId, string key, CancellationToken ct = default);

    /// <summary>Adds dataset inputs (deduplicated by name and digest).</summary>
    Task LogInputsAsync(string runId, IReadOnlyList<DatasetInput> inputs, CancellationToken ct = default);

    /// <summary>Appends a logged model to the run's <c>mlflow.log-model.history</c> tag.</summary>
    Task AppendLoggedModelAsync(string runId, string modelJson, CancellationToken ct = default);

    /// <summary>Every point of one metric, ordered by step then timestamp.</summary>
    Task<IReadOnlyList<Metric>> GetMetricHistoryAsync(string runId, string key, CancellationToken ct = default);

    /// <summary>Runs of the experiments that match <paramref name="filter"/>, sorted, one page.</summary>
    Task<MlflowPage<Run>> SearchRunsAsync(
        IReadOnlyList<string> experimentIds, SearchFilter filter, IReadOnlyList<OrderByClause> orderBy, ViewType view,
        int maxResults, string? pageToken, CancellationToken ct = default);
}
