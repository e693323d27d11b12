using System.Net;
using Serverless.Testing;
using Serverless.Tracking.Client;

namespace Serverless.Tracking.Tests;

public sealed class RegistryEndpointTests(MlflowServer server) : IClassFixture<MlflowServer>
{
    [Fact]
    public async Task RegisterModel_FlowAsTheMlflowClientDoesIt()
    {
        var name = TestNames.Unique("model");
        var run = await NewRunAsync();
        var source = run.Info.ArtifactUri + "/model";

        var created = await server.PostAsync("api/2.0/mlflow/registered-models/create", $$"""{"name":"{{name}}","description":"fraud"}""");
        var again = await server.PostAsync("api/2.0/mlflow/registered-models/create", $$"""{"name":"{{name}}"}""");
        var v1 = await server.PostAsync("api/2.0/mlflow/model-versions/create", $$"""{"name":"{{name}}","source":"{{source}}","run_id":"{{run.Info.RunId}}","tags":[{"key":"k","value":"v"}]}""");
        var v2 = await server.Client.CreateModelVersionAsync(name, source, run.Info.RunId);

        Assert.Equal(HttpStatusCode.OK, created.Status);
        Assert.Equal(name, created.Json["registered_model"]!["name"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, again.Status);
        Assert.Equal(MlflowErrorCodes.ResourceAlreadyExists, again.ErrorCode);
        var version = v1.Json["model_version"]!;
        Assert.Equal("1", version["version"]!.GetValue<string>());
        Assert.Equal("READY", version["status"]!.GetValue<string>());
        Assert.Equal("None", version["current_stage"]!.GetValue<string>());
        Assert.Equal(source, version["source"]!.GetValue<string>());
        Assert.Equal(run.Info.RunId, version["run_id"]!.GetValue<string>());
        Assert.Equal(System.Text.Json.JsonValueKind.Number, version["creation_timestamp"]!.GetValueKind());
        Assert.Equal("2", v2.Version);
    }

    [Fact]
    public async Task Aliases_SetGetDeleteWithJsonBody()
    {
        var (name, _) = await NewModelWithVersionsAsync(2);

        var set = await server.PostAsync("api/2.0/mlflow/registered-models/alias", $$"""{"name":"{{name}}","alias":"champion","version":"2"}""");
        var get = await server.GetAsync($"api/2.0/mlflow/registered-models/alias?name={name}&alias=champion");
        var model = await server.Client.GetRegisteredModelAsync(name);
        var delete = await server.SendAsync(HttpMethod.Delete, "api/2.0/mlflow/registered-models/alias", $$"""{"name":"{{name}}","alias":"champion"}""");
        var gone = await server.GetAsync($"api/2.0/mlflow/registered-models/alias?name={name}&alias=champion");

        Assert.Equal("{}", set.Body);
        Assert.Equal("2", get.Json["model_version"]!["version"]!.GetValue<string>());
        Assert.Equal("champion", get.Json["model_version"]!["aliases"]![0]!.GetValue<string>());
        Assert.Equal(new RegisteredModelAlias("champion", "2"), Assert.Single(model.Aliases!));
        Assert.Equal("{}", delete.Body);
        Assert.Equal(HttpStatusCode.NotFound, gone.Status);
    }

    [Theory]
    [InlineData("latest")]
    [InlineData("v3")]
    [InlineData("bad alias")]
    public async Task Alias_ReservedOrInvalid_Is400(string alias)
    {
        var (name, _) = await NewModelWithVersionsAsync(1);

        var response = await server.PostAsync("api/2.0/mlflow/registered-models/alias", $$"""{"name":"{{name}}","alias":"{{alias}}","version":"1"}""");

        Assert.Equal(MlflowErrorCodes.InvalidParameterValue, response.ErrorCode);
    }

    [Fact]
    public async Task Alias_ToMissingVersion_Is404()
    {
        var (name, _) = await NewModelWithVersionsAsync(1);

        var response = await server.PostAsync("api/2.0/mlflow/registered-models/alias", $$"""{"name":"{{name}}","alias":"champion","version":"7"}""");

        Assert.Equal(HttpStatusCode.NotFound, response.Status);
    }

    [Fact]
    public async Task TransitionStage_ArchivesExisting_AndLatestVersionsFollow()
    {
        var (name, _) = await NewModelWithVersionsAsync(3);

        await server.Client.TransitionModelVersionStageAsync(name, "1", "Production");
        var moved = await server.Client.TransitionModelVersionStageAsync(name, "2", "production", archiveExistingVersions: true);
        var latest = await server.Client.GetLatestVersionsAsync(name, ["Production", "Archived", "None"]);
        var bad = await server.PostAsync("api/2.0/mlflow/model-versions/transition-stage", $$"""{"name":"{{name}}","version":"3","stage":"Prod","archive_existing_versions":false}""");

        Assert.Equal("Production", moved.CurrentStage);
        Assert.Equal("Archived", (await server.Client.GetModelVersionAsync(name, "1")).CurrentStage);
        Assert.Equal([("1", "Archived"), ("2", "Production"), ("3", "None")], latest.Select(v => (v.Version, v.CurrentStage)).OrderBy(x => x.Version));
        Assert.Equal(MlflowErrorCodes.InvalidParameterValue, bad.ErrorCode);
    }

    [Fact]
    public async Task RenameUpdateTagsAndDelete_RegisteredModel()
    {
        var (name, _) = await NewModelWithVersionsAsync(1);
        var newName = name + "-renamed";

        var renamed = await server.Client.RenameRegisteredModelAsync(name, newName);
        var updated = await server.Client.UpdateRegisteredModelAsync(newName, "better");
        await server.Client.SetRegisteredModelTagAsync(newName, "owner", "ml");
        var tagged = await server.Client.GetRegisteredModelAsync(newName);
        await server.Client.DeleteRegisteredModelTagAsync(newName, "owner");
        var untagged = await server.Client.GetRegisteredModelAsync(newName);
        var oldName = await server.GetAsync($"api/2.0/mlflow/registered-models/get?name={name}");
        var versionAfterRename = await server.Client.GetModelVersionAsync(newName, "1");
        await server.Client.DeleteRegisteredModelAsync(newName);
        var deleted = await server.GetAsync($"api/2.0/mlflow/registered-models/get?name={newName}");

        Assert.Equal(newName, renamed.Name);
        Assert.Equal("better", updated.Description);
        Assert.Equal("ml", Assert.Single(tagged.Tags!).Value);
        Assert.Null(untagged.Tags);
        Assert.Equal(HttpStatusCode.NotFound, oldName.Status);
        Assert.Equal(newName, versionAfterRename.Name);
        Assert.Equal(HttpStatusCode.NotFound, deleted.Status);
        Assert.Empty((await server.Client.SearchModelVersionsAsync($"name = '{newName}'")).Items);
    }

    [Fact]
    public async Task ModelVersion_UpdateTagsDeleteAndDownloadUri()
    {
        var (name, source) = await NewModelWithVersionsAsync(2);

        var updated = await server.Client.UpdateModelVersionAsync(name, "1", "first one");
        await server.Client.SetModelVersionTagAsync(name, "1", "validated", "true");
        var tagged = await server.Client.GetModelVersionAsync(name, "1");
        await server.Client.DeleteModelVersionTagAsync(name, "1", "validated");
        var uri = await server.Client.GetModelVersionDownloadUriAsync(name, "1");
        await server.Client.SetRegisteredModelAliasAsync(name, "champion", "2");
        await server.Client.DeleteModelVersionAsync(name, "2");
        var gone = await server.GetAsync($"api/2.0/mlflow/model-versions/get?name={name}&version=2");
        var model = await server.Client.GetRegisteredModelAsync(name);

        Assert.Equal("first one", updated.Description);
        Assert.Equal("true", Assert.Single(tagged.Tags!).Value);
        Assert.Null((await server.Client.GetModelVersionAsync(name, "1")).Tags);
        Assert.Equal(source, uri);
        Assert.Equal(HttpStatusCode.NotFound, gone.Status);
        Assert.Null(model.Aliases);
    }

    [Fact]
    public async Task SearchModelVersions_ByNameAndRunId_AndSearchRegisteredModels()
    {
        var (name, _) = await NewModelWithVersionsAsync(2);
        var other = await NewRunAsync();
        await server.Client.CreateModelVersionAsync(name, other.Info.ArtifactUri + "/model", other.Info.RunId);

        var byName = await server.Client.SearchModelVersionsAsync($"name = '{name}'");
        var byRun = await server.Client.SearchModelVersionsAsync($"run_id = '{other.Info.RunId}'");
        var byRunIn = await server.GetAsync($"api/2.0/mlflow/model-versions/search?filter={Uri.EscapeDataString($"run_id IN ('{other.Info.RunId}')")}&max_results=10");
        var models = await server.Client.SearchRegisteredModelsAsync($"name LIKE '{name[..6]}%'");
        var paged = await server.Client.SearchModelVersionsAsync($"name = '{name}'", maxResults: 2, orderBy: ["version_number ASC"]);

        Assert.Equal(["3", "2", "1"], byName.Items.Select(v => v.Version));
        Assert.Equal("3", Assert.Single(byRun.Items).Version);
        Assert.Single(byRunIn.Json["model_versions"]!.AsArray());
        Assert.Contains(models.Items, m => m.Name == name && m.LatestVersions!.Single().Version == "3");
        Assert.Equal(["1", "2"], paged.Items.Select(v => v.Version));
        Assert.NotNull(paged.NextPageToken);
    }

    [Fact]
    public async Task MissingModelOrVersion_Is404_AndMissingName400()
    {
        var model = await server.GetAsync("api/2.0/mlflow/registered-models/get?name=" + TestNames.Unique("none"));
        var (name, _) = await NewModelWithVersionsAsync(1);
        var version = await server.GetAsync($"api/2.0/mlflow/model-versions/get?name={name}&version=9");
        var badVersion = await server.GetAsync($"api/2.0/mlflow/model-versions/get?name={name}&version=one");
        var noName = await server.PostAsync("api/2.0/mlflow/registered-models/create", "{}");

        Assert.Equal(HttpStatusCode.NotFound, model.Status);
        Assert.Equal(MlflowErrorCodes.ResourceDoesNotExist, model.ErrorCode);
        Assert.Equal(HttpStatusCode.NotFound, version.Status);
        Assert.Equal(MlflowErrorCodes.InvalidParameterValue, badVersion.ErrorCode);
        Assert.Equal(MlflowErrorCodes.InvalidParameterValue, noName.ErrorCode);
    }

    private async Task<Run> NewRunAsync()
    {
        var experimentId = await server.Client.GetOrCreateExperimentAsync("registry-" + server.TablePrefix);
        return await server.Client.CreateRunAsync(experimentId);
    }

    private async Task<(string Name, string Source)> NewModelWithVersionsAsync(int versions)
    {
        var name = TestNames.Unique("model");
        var run = await NewRunAsync();
        var source = run.Info.ArtifactUri + "/model";
        await server.Client.CreateRegisteredModelAsync(name);
        for (var i = 0; i < versions; i++)
        {
            await server.Client.CreateModelVersionAsync(name, source, run.Info.RunId);
        }

        return (name, source);
    }
}
