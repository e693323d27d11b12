using System.Net;
using System.Text.Json.Nodes;
using Serverless.Testing;
using Serverless.Tracking.Client;

namespace Serverless.Tracking.Tests;

public sealed class ExperimentEndpointTests(MlflowServer server) : IClassFixture<MlflowServer>
{
    [Fact]
    public async Task Create_ThenGetAndGetByName_ReturnTheSameExperiment()
    {
        var name = TestNames.Unique("exp") + "/with spaces & 'quotes'";
        var created = await server.PostAsync("api/2.0/mlflow/experiments/create",
            new JsonObject { ["name"] = name, ["tags"] = new JsonArray(new JsonObject { ["key"] = "team", ["value"] = "ml" }) }.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, created.Status);
        var id = created.Json["experiment_id"]!.GetValue<string>();

        var byId = await server.GetAsync($"api/2.0/mlflow/experiments/get?experiment_id={id}");
        var byName = await server.GetAsync($"api/2.0/mlflow/experiments/get-by-name?experiment_name={Uri.EscapeDataString(name)}");

        Assert.Equal(HttpStatusCode.OK, byId.Status);
        var experiment = byId.Json["experiment"]!;
        Assert.Equal(name, experiment["name"]!.GetValue<string>());
        Assert.Equal($"mlflow-artifacts:/{id}", experiment["artifact_location"]!.GetValue<string>());
        Assert.Equal("active", experiment["lifecycle_stage"]!.GetValue<string>());
        Assert.Equal(System.Text.Json.JsonValueKind.Number, JsonValueKind(experiment["creation_time"]));
        Assert.Equal("ml", experiment["tags"]![0]!["value"]!.GetValue<string>());
        Assert.Equal(id, byName.Json["experiment"]!["experiment_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task GetByName_Missing_Is404ResourceDoesNotExist()
    {
        var response = await server.GetAsync("api/2.0/mlflow/experiments/get-by-name?experiment_name=" + TestNames.Unique("missing"));

        Assert.Equal(HttpStatusCode.NotFound, response.Status);
        Assert.Equal(MlflowErrorCodes.ResourceDoesNotExist, response.ErrorCode);
    }

    [Fact]
    public async Task Get_UnknownId_Is404()
    {
        var response = await server.GetAsync("api/2.0/mlflow/experiments/get?experiment_id=987654321");

        Assert.Equal(HttpStatusCode.NotFound, response.Status);
        Assert.Equal(MlflowErrorCodes.ResourceDoesNotExist, response.ErrorCode);
    }

    [Fact]
    public async Task Create_DuplicateName_Is400AlreadyExists()
    {
        var name = TestNames.Unique("dup");
        await server.Client.CreateExperimentAsync(name);

        var response = await server.PostAsync("api/2.0/mlflow/experiments/create", $$"""{"name":"{{name}}"}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal(MlflowErrorCodes.ResourceAlreadyExists, response.ErrorCode);
    }

    [Fact]
    public async Task Create_MissingName_Is400InvalidParameter()
    {
        var response = await server.PostAsync("api/2.0/mlflow/experiments/create", "{}");

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal(MlflowErrorCodes.InvalidParameterValue, response.ErrorCode);
        Assert.Contains("name", response.Json["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DefaultExperiment_Exists()
    {
        var experiment = await server.Client.GetExperimentAsync("0");

        Assert.Equal("Default", experiment.Name);
    }

    [Fact]
    public async Task Rename_MovesTheName_AndOldNameIsFree()
    {
        var oldName = TestNames.Unique("old");
        var newName = TestNames.Unique("new");
        var id = await server.Client.CreateExperimentAsync(oldName);

        await server.Client.RenameExperimentAsync(id, newName);

        Assert.Equal(id, (await server.Client.GetExperimentByNameAsync(newName))!.ExperimentId);
        Assert.Null(await server.Client.GetExperimentByNameAsync(oldName));
        Assert.NotEqual(id, await server.Client.CreateExperimentAsync(oldName));
    }

    [Fact]
    public async Task Rename_ToTakenName_IsRejectedAndChangesNothing()
    {
        var a = TestNames.Unique("a");
        var b = TestNames.Unique("b");
        var id = await server.Client.CreateExperimentAsync(a);
        await server.Client.CreateExperimentAsync(b);

        var response = await server.PostAsync("api/2.0/mlflow/experiments/update", $$"""{"experiment_id":"{{id}}","new_name":"{{b}}"}""");

        Assert.Equal(MlflowErrorCodes.ResourceAlreadyExists, response.ErrorCode);
        Assert.Equal(a, (await server.Client.GetExperimentAsync(id)).Name);
    }

    [Fact]
    public async Task DeleteAndRestore_ChangeLifecycleAndSearchVisibility()
    {
        var name = TestNames.Unique("del");
        var id = await server.Client.CreateExperimentAsync(name);

        await server.Client.DeleteExperimentAsync(id);
        var deleted = await server.Client.GetExperimentAsync(id);
        var activeSearch = await server.Client.SearchExperimentsAsync($"name = '{name}'");
        var deletedSearch = await server.Client.SearchExperimentsAsync($"name = '{name}'", viewType: "DELETED_ONLY");
        await server.Client.RestoreExperimentAsync(id);

        Assert.Equal("deleted", deleted.LifecycleStage);
        Assert.Empty(activeSearch.Items);
        Assert.Single(deletedSearch.Items);
        Assert.Equal("active", (await server.Client.GetExperimentAsync(id)).LifecycleStage);
    }

    [Fact]
    public async Task SetExperimentTag_AddsTag()
    {
        var id = await server.Client.CreateExperimentAsync(TestNames.Unique("tag"));

        await server.Client.SetExperimentTagAsync(id, "owner", "alice");
        await server.Client.SetExperimentTagAsync(id, "owner", "bob");

        var tags = (await server.Client.GetExperimentAsync(id)).Tags!;
        Assert.Equal("bob", Assert.Single(tags).Value);
    }

    [Fact]
    public async Task Search_FilterByNameLikeAndTag_OrderByName_Pages()
    {
        var stem = TestNames.Unique("srch");
        foreach (var suffix in new[] { "c", "a", "b" })
        {
            await server.Client.CreateExperimentAsync(stem + suffix, tags: [new Tag("kind", suffix == "b" ? "special" : "plain")]);
        }

        var first = await server.Client.SearchExperimentsAsync($"name LIKE '{stem}%'", maxResults: 2, orderBy: ["name ASC"]);
        var second = await server.Client.SearchExperimentsAsync($"name LIKE '{stem}%'", maxResults: 2, orderBy: ["name ASC"], pageToken: first.NextPageToken);
        var tagged = await server.Client.SearchExperimentsAsync($"name LIKE '{stem}%' and tags.kind = 'special'");

        Assert.Equal([stem + "a", stem + "b"], first.Items.Select(e => e.Name));
        Assert.Equal([stem + "c"], second.Items.Select(e => e.Name));
        Assert.Null(second.NextPageToken);
        Assert.Equal(stem + "b", Assert.Single(tagged.Items).Name);
    }

    [Fact]
    public async Task Search_IsAlsoRoutedAsGet()
    {
        var name = TestNames.Unique("get");
        await server.Client.CreateExperimentAsync(name);

        var response = await server.GetAsync($"api/2.0/mlflow/experiments/search?filter={Uri.EscapeDataString($"name = '{name}'")}&max_results=5");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal(name, response.Json["experiments"]![0]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Search_BadFilter_Is400WithExplanation()
    {
        var response = await server.PostAsync("api/2.0/mlflow/experiments/search", """{"filter":"name === 'x'"}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal(MlflowErrorCodes.InvalidParameterValue, response.ErrorCode);
        Assert.Contains("operator", response.Json["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private static System.Text.Json.JsonValueKind JsonValueKind(JsonNode? node) => node!.GetValueKind();
}
