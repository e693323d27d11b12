namespace Serverless.Tracking.Client;

public sealed partial class MlflowClient
{
    /// <summary>Creates an experiment and returns its id.</summary>
    public async Task<string> CreateExperimentAsync(string name, string? artifactLocation = null, IEnumerable<Tag>? tags = null, CancellationToken ct = default)
    {
        var response = await PostAsync<CreateExperimentResponse>(
            "api/2.0/mlflow/experiments/create", new { Name = name, ArtifactLocation = artifactLocation, Tags = tags?.ToList() }, ct);
        return response.ExperimentId;
    }

    /// <summary>Gets an experiment by id.</summary>
    public async Task<Experiment> GetExperimentAsync(string experimentId, CancellationToken ct = default) =>
        (await GetAsync<ExperimentResponse>("api/2.0/mlflow/experiments/get", [("experiment_id", experimentId)], ct)).Experiment;

    /// <summary>Gets an experiment by name, or null when there is none.</summary>
    public async Task<Experiment?> GetExperimentByNameAsync(string name, CancellationToken ct = default)
    {
        try
        {
            return (await GetAsync<ExperimentResponse>("api/2.0/mlflow/experiments/get-by-name", [("experiment_name", name)], ct)).Experiment;
        }
        catch (MlflowException e) when (e.ErrorCode == MlflowErrorCodes.ResourceDoesNotExist)
        {
            return null;
        }
    }

    /// <summary>Returns the id of the experiment named <paramref name="name"/>, creating it when absent.</summary>
    public async Task<string> GetOrCreateExperimentAsync(string name, CancellationToken ct = default)
    {
        if (await GetExperimentByNameAsync(name, ct) is { } existing)
        {
            return existing.ExperimentId;
        }

        try
        {
            return await CreateExperimentAsync(name, ct: ct);
        }
        catch (MlflowException e) when (e.ErrorCode == MlflowErrorCodes.ResourceAlreadyExists)
        {
            // Someone else created it between our two calls.
            return (await GetExperimentByNameAsync(name, ct))!.ExperimentId;
        }
    }

    /// <summary>Searches experiments.</summary>
    /// <param name="filter">MLflow filter, e.g. <c>name LIKE 'demo%'</c>.</param>
    /// <param name="maxResults">Page size.</param>
    /// <param name="orderBy">Order clauses, e.g. <c>name ASC</c>.</param>
    /// <param name="pageToken">Token from the previous page.</param>
    /// <param name="viewType">ACTIVE_ONLY, DELETED_ONLY or ALL.</param>
    /// <param name="ct">Cancellation.</param>
    public async Task<MlflowPage<Experiment>> SearchExperimentsAsync(
        string? filter = null, int maxResults = 1000, IEnumerable<string>? orderBy = null, string? pageToken = null,
        string viewType = "ACTIVE_ONLY", CancellationToken ct = default)
    {
        var response = await PostAsync<SearchExperimentsResponse>("api/2.0/mlflow/experiments/search", new
        {
            Filter = filter,
            MaxResults = maxResults,
            OrderBy = orderBy?.ToList(),
            PageToken = pageToken,
            ViewType = viewType,
        }, ct);
        return new(response.Experiments ?? [], response.NextPageToken);
    }

    /// <summary>Renames an experiment.</summary>
    public Task RenameExperimentAsync(string experimentId, string newName, CancellationToken ct = default) =>
        PostAsync("api/2.0/mlflow/experiments/update", new { ExperimentId = experimentId, NewName = newName }, ct);

    /// <summary>Marks an experiment (and so its runs) deleted.</summary>
    public Task DeleteExperimentAsync(string experimentId, CancellationToken ct = default) =>
        PostAsync("api/2.0/mlflow/experiments/delete", new { ExperimentId = experimentId }, ct);

    /// <summary>Restores a deleted experiment.</summary>
    public Task RestoreExperimentAsync(string experimentId, CancellationToken ct = default) =>
        PostAsync("api/2.0/mlflow/experiments/restore", new { ExperimentId = experimentId }, ct);

    /// <summary>Sets a tag on an experiment.</summary>
    public Task SetExperimentTagAsync(string experimentId, string key, string value, CancellationToken ct = default) =>
        PostAsync("api/2.0/mlflow/experiments/set-experiment-tag", new { ExperimentId = experimentId, Key = key, Value = value }, ct);
}
