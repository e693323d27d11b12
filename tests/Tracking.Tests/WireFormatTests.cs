using System.Net;
using Serverless.Testing;
using Serverless.Tracking.Client;

namespace Serverless.Tracking.Tests;

public sealed class WireFormatTests(MlflowServer server) : IClassFixture<MlflowServer>
{
    [Fact]
    public async Task Int64Fields_AreJsonNumbers_AndEmptyFieldsAreOmitted()
    {
        var experimentId = await server.Client.CreateExperimentAsync(TestNames.Unique("wire"));
        var run = await server.Client.CreateRunAsync(experimentId, startTime: 9007199254740993);
        await server.Client.LogMetricAsync(run.Info.RunId, "m", 1.5, timestamp: 9007199254740993, step: 3);

        var raw = await server.GetAsync($"api/2.0/mlflow/runs/get?run_id={run.Info.RunId}");
        var history = await server.GetAsync($"api/2.0/mlflow/metrics/get-history?run_id={run.Info.RunId}&metric_key=m");

        Assert.Contains("\"start_time\":9007199254740993", raw.Body, StringComparison.Ordinal);
        Assert.Contains("\"timestamp\":9007199254740993", history.Body, StringComparison.Ordinal);
        Assert.Contains("\"step\":3", history.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("end_time", raw.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("null", raw.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("\"params\"", raw.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EmptyResponses_AreEmptyObjects()
    {
        var experimentId = await server.Client.CreateExperimentAsync(TestNames.Unique("wire"));
        var run = await server.Client.CreateRunAsync(experimentId);

        var logged = await server.PostAsync("api/2.0/mlflow/runs/set-tag", $$"""{"run_id":"{{run.Info.RunId}}","key":"k","value":"v"}""");
        var empty = await server.GetAsync($"api/2.0/mlflow/metrics/get-history?run_id={run.Info.RunId}&metric_key=none");

        Assert.Equal("{}", logged.Body);
        Assert.Equal("{}", empty.Body);
    }

    [Fact]
    public async Task Get_RepeatedAndIndexedQueryKeys_BindToArrays()
    {
        var a = await server.Client.CreateExperimentAsync(TestNames.Unique("qa"));
        var b = await server.Client.CreateExperimentAsync(TestNames.Unique("qb"));
        var c = await server.Client.CreateExperimentAsync(TestNames.Unique("qc"));
        foreach (var id in new[] { a, b, c })
        {
            await server.Client.CreateRunAsync(id);
        }

        var repeated = await server.GetAsync($"api/2.0/mlflow/runs/search?experiment_ids={a}&experiment_ids={b}");
        var indexed = await server.GetAsync($"api/2.0/mlflow/runs/search?experiment_ids[0]={a}&experiment_ids[1]={b}&experiment_ids[]={c}&max_results=10");

        Assert.Equal(2, repeated.Json["runs"]!.AsArray().Count);
        Assert.Equal(3, indexed.Json["runs"]!.AsArray().Count);
    }

    [Fact]
    public async Task UnknownApiRoute_Is404WithErrorBody()
    {
        var response = await server.GetAsync("api/2.0/mlflow/does-not-exist");
        var ajax = await server.PostAsync("ajax-api/2.0/mlflow/experiments/nope", "{}");

        Assert.Equal(HttpStatusCode.NotFound, response.Status);
        Assert.Equal(MlflowErrorCodes.EndpointNotFound, response.ErrorCode);
        Assert.Equal(HttpStatusCode.NotFound, ajax.Status);
    }

    [Fact]
    public async Task AjaxApiPrefix_ServesTheSameHandlers()
    {
        var response = await server.GetAsync("ajax-api/2.0/mlflow/experiments/get?experiment_id=0");

        Assert.Equal("Default", response.Json["experiment"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Version_IsServed()
    {
        var response = await server.GetAsync("version");

        Assert.Equal(MlflowEndpointsVersion, response.Body);
    }

    [Theory]
    [InlineData("[1,2]")]
    [InlineData("null")]
    [InlineData("{\"name\": {\"nested\": true}}")]
    [InlineData("{\"name\": \"x\", \"tags\": \"not-a-list\"}")]
    public async Task MalformedOrMistypedBodies_Are400(string body)
    {
        var response = await server.PostAsync("api/2.0/mlflow/experiments/create", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal(MlflowErrorCodes.InvalidParameterValue, response.ErrorCode);
    }

    [Fact]
    public async Task NaNInsideStrings_IsNotRewritten()
    {
        var experimentId = await server.Client.CreateExperimentAsync(TestNames.Unique("nan"));
        var run = await server.Client.CreateRunAsync(experimentId);

        await server.PostAsync("api/2.0/mlflow/runs/set-tag", $$"""{"run_id":"{{run.Info.RunId}}","key":"note","value":"NaN and \"Infinity\" stay text"}""");

        Assert.Contains((await server.Client.GetRunAsync(run.Info.RunId)).Data!.Tags!, t => t.Value == "NaN and \"Infinity\" stay text");
    }

    private const string MlflowEndpointsVersion = Serverless.Tracking.Mlflow.MlflowEndpoints.CompatibleMlflowVersion;
}
