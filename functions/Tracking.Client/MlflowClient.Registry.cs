using System.Globalization;

namespace Serverless.Tracking.Client;

public sealed partial class MlflowClient
{
    /// <summary>Creates a registered model.</summary>
    public async Task<RegisteredModel> CreateRegisteredModelAsync(string name, string? description = null, IEnumerable<Tag>? tags = null, CancellationToken ct = default) =>
        (await PostAsync<RegisteredModelResponse>("api/2.0/mlflow/registered-models/create",
            new { Name = name, Description = description, Tags = tags?.ToList() }, ct)).RegisteredModel;

    /// <summary>Gets a registered model.</summary>
    public async Task<RegisteredModel> GetRegisteredModelAsync(string name, CancellationToken ct = default) =>
        (await GetAsync<RegisteredModelResponse>("api/2.0/mlflow/registered-models/get", [("name", name)], ct)).RegisteredModel;

    /// <summary>Renames a registered model; its versions follow.</summary>
    public async Task<RegisteredModel> RenameRegisteredModelAsync(string name, string newName, CancellationToken ct = default) =>
        (await PostAsync<RegisteredModelResponse>("api/2.0/mlflow/registered-models/rename", new { Name = name, NewName = newName }, ct)).RegisteredModel;

    /// <summary>Sets a registered model's description.</summary>
    public async Task<RegisteredModel> UpdateRegisteredModelAsync(string name, string description, CancellationToken ct = default) =>
        (await SendAsync<RegisteredModelResponse>(HttpMethod.Patch, "api/2.0/mlflow/registered-models/update", new { Name = name, Description = description }, ct)).RegisteredModel;

    /// <summary>Deletes a registered model and all its versions.</summary>
    public Task DeleteRegisteredModelAsync(string name, CancellationToken ct = default) =>
        SendAsync<EmptyResponse>(HttpMethod.Delete, "api/2.0/mlflow/registered-models/delete", new { Name = name }, ct);

    /// <summary>Sets a registered model tag.</summary>
    public Task SetRegisteredModelTagAsync(string name, string key, string value, CancellationToken ct = default) =>
        PostAsync("api/2.0/mlflow/registered-models/set-tag", new { Name = name, Key = key, Value = value }, ct);

    /// <summary>Deletes a registered model tag.</summary>
    public Task DeleteRegisteredModelTagAsync(string name, string key, CancellationToken ct = default) =>
        SendAsync<EmptyResponse>(HttpMethod.Delete, "api/2.0/mlflow/registered-models/delete-tag", new { Name = name, Key = key }, ct);

    /// <summary>Searches registered models, e.g. with <c>name LIKE 'fraud%'</c>.</summary>
    public async Task<MlflowPage<RegisteredModel>> SearchRegisteredModelsAsync(
        string? filter = null, int maxResults = 100, IEnumerable<string>? orderBy = null, string? pageToken = null, CancellationToken ct = default)
    {
        var response = await GetAsync<SearchRegisteredModelsResponse>("api/2.0/mlflow/registered-models/search",
            [("filter", filter), ("max_results", maxResults.ToString(CultureInfo.InvariantCulture)), .. Repeated("order_by", orderBy), ("page_token", pageToken)], ct);
        return new(response.RegisteredModels ?? [], response.NextPageToken);
    }

    /// <summary>Creates a new version of a registered model from artifacts at <paramref name="source"/>.</summary>
    /// <param name="name">Registered model name.</param>
    /// <param name="source">Artifact URI of the model files, e.g. <c>mlflow-artifacts:/1/&lt;run&gt;/artifacts/model</c>.</param>
    /// <param name="runId">Producing run, for lineage.</param>
    /// <param name="tags">Version tags.</param>
    /// <param name="runLink">Link to the producing run (or pipeline run).</param>
    /// <param name="description">Free text.</param>
    /// <param name="ct">Cancellation.</param>
    public async Task<ModelVersion> CreateModelVersionAsync(
        string name, string source, string? runId = null, IEnumerable<Tag>? tags = null, string? runLink = null,
        string? description = null, CancellationToken ct = default) =>
        (await PostAsync<ModelVersionResponse>("api/2.0/mlflow/model-versions/create", new
        {
            Name = name,
            Source = source,
            RunId = runId,
            Tags = tags?.ToList(),
            RunLink = runLink,
            Description = description,
        }, ct)).ModelVersion;

    /// <summary>Gets a model version.</summary>
    public async Task<ModelVersion> GetModelVersionAsync(string name, string version, CancellationToken ct = default) =>
        (await GetAsync<ModelVersionResponse>("api/2.0/mlflow/model-versions/get", [("name", name), ("version", version)], ct)).ModelVersion;

    /// <summary>Sets a model version's description.</summary>
    public async Task<ModelVersion> UpdateModelVersionAsync(string name, string version, string description, CancellationToken ct = default) =>
        (await SendAsync<ModelVersionResponse>(HttpMethod.Patch, "api/2.0/mlflow/model-versions/update",
            new { Name = name, Version = version, Description = description }, ct)).ModelVersion;

    /// <summary>Deletes a model version.</summary>
    public Task DeleteModelVersionAsync(string name, string version, CancellationToken ct = default) =>
        SendAsync<EmptyResponse>(HttpMethod.Delete, "api/2.0/mlflow/model-versions/delete", new { Name = name, Version = version }, ct);

    /// <summary>Sets a model version tag.</summary>
    public Task SetModelVersionTagAsync(string name, string version, string key, string value, CancellationToken ct = default) =>
        PostAsync("api/2.0/mlflow/model-versions/set-tag", new { Name = name, Version = version, Key = key, Value = value }, ct);

    /// <summary>Deletes a model version tag.</summary>
    public Task DeleteModelVersionTagAsync(string name, string version, string key, CancellationToken ct = default) =>
        SendAsync<EmptyResponse>(HttpMethod.Delete, "api/2.0/mlflow/model-versions/delete-tag", new { Name = name, Version = version, Key = key }, ct);

    /// <summary>Searches model versions, e.g. with <c>name = 'fraud'</c> or <c>run_id = '…'</c>.</summary>
    public async Task<MlflowPage<ModelVersion>> SearchModelVersionsAsync(
        string? filter = null, int maxResults = 10000, IEnumerable<string>? orderBy = null, string? pageToken = null, CancellationToken ct = default)
    {
        var response = await GetAsync<ModelVersionsResponse>("api/2.0/mlflow/model-versions/search",
            [("filter", filter), ("max_results", maxResults.ToString(CultureInfo.InvariantCulture)), .. Repeated("order_by", orderBy), ("page_token", pageToken)], ct);
        return new(response.ModelVersions ?? [], response.NextPageToken);
    }

    /// <summary>Moves a version to a legacy stage (Staging, Production, Archived, None).</summary>
    public async Task<ModelVersion> TransitionModelVersionStageAsync(
        string name, string version, string stage, bool archiveExistingVersions = false, CancellationToken ct = default) =>
        (await PostAsync<ModelVersionResponse>("api/2.0/mlflow/model-versions/transition-stage", new
        {
            Name = name,
            Version = version,
            Stage = stage,
            ArchiveExistingVersions = archiveExistingVersions,
        }, ct)).ModelVersion;

    /// <summary>The latest version in each of <paramref name="stages"/> (all stages when null).</summary>
    public async Task<IReadOnlyList<ModelVersion>> GetLatestVersionsAsync(string name, IEnumerable<string>? stages = null, CancellationToken ct = default) =>
        (await PostAsync<ModelVersionsResponse>("api/2.0/mlflow/registered-models/get-latest-versions",
            new { Name = name, Stages = stages?.ToList() }, ct)).ModelVersions ?? [];

    /// <summary>Where a version's files can be downloaded from.</summary>
    public async Task<string> GetModelVersionDownloadUriAsync(string name, string version, CancellationToken ct = default) =>
        (await GetAsync<DownloadUriResponse>("api/2.0/mlflow/model-versions/get-download-uri", [("name", name), ("version", version)], ct)).ArtifactUri;

    /// <summary>Points <paramref name="alias"/> at a version.</summary>
    public Task SetRegisteredModelAliasAsync(string name, string alias, string version, CancellationToken ct = default) =>
        PostAsync("api/2.0/mlflow/registered-models/alias", new { Name = name, Alias = alias, Version = version }, ct);

    /// <summary>Removes an alias (a DELETE with a JSON body, as MLflow sends it).</summary>
    public Task DeleteRegisteredModelAliasAsync(string name, string alias, CancellationToken ct = default) =>
        SendAsync<EmptyResponse>(HttpMethod.Delete, "api/2.0/mlflow/registered-models/alias", new { Name = name, Alias = alias }, ct);

    /// <summary>The version an alias points at.</summary>
    public async Task<ModelVersion> GetModelVersionByAliasAsync(string name, string alias, CancellationToken ct = default) =>
        (await GetAsync<ModelVersionResponse>("api/2.0/mlflow/registered-models/alias", [("name", name), ("alias", alias)], ct)).ModelVersion;
}
