namespace Serverless.Tracking.Client;

public sealed partial class MlflowClient
{
    /// <summary>Most metrics one log-batch request may carry.</summary>
    public const int MaxMetricsPerBatch = 1000;

    /// <summary>Most params one log-batch request may carry.</summary>
    public const int MaxParamsPerBatch = 100;

    /// <summary>Most tags one log-batch request may carry.</summary>
    public const int MaxTagsPerBatch = 100;

    /// <summary>Most metrics, params and tags together in one log-batch request.</summary>
    public const int MaxEntitiesPerBatch = 1000;

    /// <summary>Starts a run in an experiment.</summary>
    public async Task<Run> CreateRunAsync(
        string experimentId, string? runName = null, IEnumerable<Tag>? tags = null, long? startTime = null,
        string? userId = null, CancellationToken ct = default)
    {
        var tagList = tags?.ToList() ?? [];
        if (runName is not null && !tagList.Any(t => t.Key == "mlflow.runName"))
        {
            tagList.Add(new Tag("mlflow.runName", runName));
        }

        var response = await PostAsync<RunResponse>("api/2.0/mlflow/runs/create", new
        {
            ExperimentId = experimentId,
            UserId = userId ?? Environment.UserName,
            RunName = runName,
            StartTime = startTime ?? NowMilliseconds(),
            Tags = tagList,
        }, ct);
        return response.Run;
    }

    /// <summary>Updates a run's status, end time or name.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="status">RUNNING, FINISHED, FAILED or KILLED; unchanged when null.</param>
    /// <param name="endTime">End time in ms; unchanged when null.</param>
    /// <param name="runName">New name; unchanged when null.</param>
    /// <param name="ct">Cancellation.</param>
    public async Task<RunInfo> UpdateRunAsync(string runId, string? status = null, long? endTime = null, string? runName = null, CancellationToken ct = default) =>
        (await PostAsync<RunInfoResponse>("api/2.0/mlflow/runs/update",
            new { RunId = runId, RunUuid = runId, Status = status, EndTime = endTime, RunName = runName }, ct)).RunInfo;

    /// <summary>Ends a run with <paramref name="status"/> (FINISHED by default) at the current time.</summary>
    public Task<RunInfo> EndRunAsync(string runId, string status = "FINISHED", CancellationToken ct = default) =>
        UpdateRunAsync(runId, status, NowMilliseconds(), ct: ct);

    /// <summary>Gets a run with its latest metrics, params, tags and inputs.</summary>
    public async Task<Run> GetRunAsync(string runId, CancellationToken ct = default) =>
        (await GetAsync<RunResponse>("api/2.0/mlflow/runs/get", [("run_id", runId), ("run_uuid", runId)], ct)).Run;

    /// <summary>Logs one metric point.</summary>
    public Task LogMetricAsync(string runId, string key, double value, long? timestamp = null, long step = 0, CancellationToken ct = default) =>
        PostAsync("api/2.0/mlflow/runs/log-metric", new
        {
            RunId = runId,
            RunUuid = runId,
            Key = key,
            Value = value,
            Timestamp = timestamp ?? NowMilliseconds(),
            Step = step,
        }, ct);

    /// <summary>Logs a parameter. Logging a different value for an existing key fails.</summary>
    public Task LogParamAsync(string runId, string key, string value, CancellationToken ct = default) =>
        PostAsync("api/2.0/mlflow/runs/log-parameter", new { RunId = runId, RunUuid = runId, Key = key, Value = value }, ct);

    /// <summary>Sets a run tag, replacing any previous value.</summary>
    public Task SetTagAsync(string runId, string key, string value, CancellationToken ct = default) =>
        PostAsync("api/2.0/mlflow/runs/set-tag", new { RunId = runId, RunUuid = runId, Key = key, Value = value }, ct);

    /// <summary>Deletes a run tag.</summary>
    public Task DeleteTagAsync(string runId, string key, CancellationToken ct = default) =>
        PostAsync("api/2.0/mlflow/runs/delete-tag", new { RunId = runId, Key = key }, ct);

    /// <summary>
    /// Logs metrics, params and tags, split into requests within MLflow's per-request limits
    /// (1,000 metrics, 100 params, 100 tags, 1,000 in total).
    /// </summary>
    public async Task LogBatchAsync(
        string runId, IEnumerable<Metric>? metrics = null, IEnumerable<Param>? parameters = null, IEnumerable<Tag>? tags = null,
        CancellationToken ct = default)
    {
        var m = metrics?.ToList() ?? [];
        var p = parameters?.ToList() ?? [];
        var t = tags?.ToList() ?? [];
        int mi = 0, pi = 0, ti = 0;
        do
        {
            var ps = p.Skip(pi).Take(MaxParamsPerBatch).ToList();
            var ts = t.Skip(ti).Take(MaxTagsPerBatch).ToList();
            var ms = m.Skip(mi).Take(Math.Min(MaxMetricsPerBatch, MaxEntitiesPerBatch - ps.Count - ts.Count)).ToList();
            pi += ps.Count;
            ti += ts.Count;
            mi += ms.Count;
            await PostAsync("api/2.0/mlflow/runs/log-batch", new { RunId = runId, Metrics = ms, Params = ps, Tags = ts }, ct);
        }
        while (mi < m.Count || pi < p.Count || ti < t.Count);
    }

    /// <summary>Records datasets the run used.</summary>
    public Task LogInputsAsync(string runId, IEnumerable<DatasetInput> datasets, CancellationToken ct = default) =>
        PostAsync("api/2.0/mlflow/runs/log-inputs", new { RunId = runId, Datasets = datasets.ToList() }, ct);

    /// <summary>Records a logged model (the MLmodel file as JSON) in the run's model history tag.</summary>
    public Task LogModelAsync(string runId, string modelJson, CancellationToken ct = default) =>
        PostAsync("api/2.0/mlflow/runs/log-model", new { RunId = runId, ModelJson = modelJson }, ct);

    /// <summary>Marks a run deleted.</summary>
    public Task DeleteRunAsync(string runId, CancellationToken ct = default) =>
        PostAsync("api/2.0/mlflow/runs/delete", new { RunId = runId }, ct);

    /// <summary>Restores a deleted run.</summary>
    public Task RestoreRunAsync(string runId, CancellationToken ct = default) =>
        PostAsync("api/2.0/mlflow/runs/restore", new { RunId = runId }, ct);

    /// <summary>Searches runs with MLflow's filter language.</summary>
    /// <param name="experimentIds">Experiments to search.</param>
    /// <param name="filter">e.g. <c>metrics.acc &gt; 0.5 and params.lr = '0.1'</c>.</param>
    /// <param name="maxResults">Page size.</param>
    /// <param name="orderBy">e.g. <c>metrics.acc DESC</c>.</param>
    /// <param name="pageToken">Token from the previous page.</param>
    /// <param name="runViewType">ACTIVE_ONLY, DELETED_ONLY or ALL.</param>
    /// <param name="ct">Cancellation.</param>
    public async Task<MlflowPage<Run>> SearchRunsAsync(
        IEnumerable<string> experimentIds, string? filter = null, int maxResults = 1000, IEnumerable<string>? orderBy = null,
        string? pageToken = null, string runViewType = "ACTIVE_ONLY", CancellationToken ct = default)
    {
        var response = await PostAsync<SearchRunsResponse>("api/2.0/mlflow/runs/search", new
        {
            ExperimentIds = experimentIds.ToList(),
            Filter = filter,
            MaxResults = maxResults,
            OrderBy = orderBy?.ToList(),
            PageToken = pageToken,
            RunViewType = runViewType,
        }, ct);
        return new(response.Runs ?? [], response.NextPageToken);
    }

    /// <summary>Gets one page of a metric's full history.</summary>
    public async Task<MlflowPage<Metric>> GetMetricHistoryAsync(
        string runId, string metricKey, int? maxResults = null, string? pageToken = null, CancellationToken ct = default)
    {
        var response = await GetAsync<MetricHistoryResponse>("api/2.0/mlflow/metrics/get-history",
            [("run_id", runId), ("run_uuid", runId), ("metric_key", metricKey), ("max_results", maxResults?.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("page_token", pageToken)], ct);
        return new(response.Metrics ?? [], response.NextPageToken);
    }
}
