using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Testing;
using Serverless.Tracking.Client;

namespace Serverless.Tracking.Tests;

public sealed class RunEndpointTests(MlflowServer server) : IClassFixture<MlflowServer>
{
    [Fact]
    public async Task CreateRun_ReturnsRunningRunWithProxyArtifactUri()
    {
        var experimentId = await server.Client.CreateExperimentAsync(TestNames.Unique("runs"));

        var response = await server.PostAsync("api/2.0/mlflow/runs/create",
            $$"""{"experiment_id":"{{experimentId}}","user_id":"alice","run_name":"first","start_time":1700000000123,"tags":[{"key":"mlflow.source.type","value":"LOCAL"}]}""");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        var info = response.Json["run"]!["info"]!;
        var runId = info["run_id"]!.GetValue<string>();
        Assert.Matches("^[0-9a-f]{32}$", runId);
        Assert.Equal(runId, info["run_uuid"]!.GetValue<string>());
        Assert.Equal("RUNNING", info["status"]!.GetValue<string>());
        Assert.Equal("first", info["run_name"]!.GetValue<string>());
        Assert.Equal(1700000000123L, info["start_time"]!.GetValue<long>());
        Assert.Equal($"mlflow-artifacts:/{experimentId}/{runId}/artifacts", info["artifact_uri"]!.GetValue<string>());
        Assert.Contains("\"start_time\":1700000000123", response.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateRun_ChosenIdTwice_ReturnsTheSameRunAndRefusesAnotherExperimentOrABadId()
    {
        var tracking = server.Services.GetRequiredService<TrackingService>();
        var experimentId = await server.Client.CreateExperimentAsync(TestNames.Unique("chosen"));
        var other = await server.Client.CreateExperimentAsync(TestNames.Unique("chosen"));
        var runId = Guid.NewGuid().ToString("N");

        var first = await tracking.CreateRunAsync(experimentId, runName: "step", tags: [new Tag("k", "v")], runId: runId);
        await tracking.LogBatchAsync(runId, [new Metric("m", 1, 1, 0)], [], []);
        var again = await tracking.CreateRunAsync(experimentId, runName: "step", tags: [new Tag("k", "v")], runId: runId);

        Assert.Equal(runId, first.Info.RunId);
        Assert.Equal(runId, again.Info.RunId);
        // The second create answers with the stored run: the metric logged in between is there.
        Assert.Contains(again.Data!.Metrics!, m => m.Key == "m");
        var listed = await server.Client.SearchRunsAsync([experimentId]);
        Assert.Single(listed.Items, r => r.Info.RunId == runId);
        var elsewhere = await Assert.ThrowsAsync<TrackingException>(() => tracking.CreateRunAsync(other, tags: [], runId: runId));
        Assert.Contains("already exists", elsewhere.Message, StringComparison.Ordinal);
        var bad = await Assert.ThrowsAsync<TrackingException>(() => tracking.CreateRunAsync(experimentId, tags: [], runId: "NOT-HEX"));
        Assert.Contains("32 lowercase hex digits", bad.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateRun_UnknownExperiment_Is404()
    {
        var response = await server.PostAsync("api/2.0/mlflow/runs/create", """{"experiment_id":"99999999"}""");

        Assert.Equal(HttpStatusCode.NotFound, response.Status);
        Assert.Equal(MlflowErrorCodes.ResourceDoesNotExist, response.ErrorCode);
    }

    [Fact]
    public async Task GetRun_Unknown_Is404()
    {
        var response = await server.GetAsync("api/2.0/mlflow/runs/get?run_id=0123456789abcdef0123456789abcdef");

        Assert.Equal(HttpStatusCode.NotFound, response.Status);
        Assert.Equal(MlflowErrorCodes.ResourceDoesNotExist, response.ErrorCode);
    }

    [Fact]
    public async Task LogMetric_NaNAndInfinityTokens_AreAcceptedAndRoundTripped()
    {
        var runId = await NewRunAsync();

        var nan = await server.PostAsync("api/2.0/mlflow/runs/log-metric", $$"""{"run_id":"{{runId}}","key":"loss","value":NaN,"timestamp":1,"step":0}""");
        var inf = await server.PostAsync("api/2.0/mlflow/runs/log-metric", $$"""{"run_id":"{{runId}}","key":"loss","value":Infinity,"timestamp":2,"step":1}""");
        var neg = await server.PostAsync("api/2.0/mlflow/runs/log-metric", $$"""{"run_id":"{{runId}}","key":"gain","value":-Infinity,"timestamp":3,"step":0}""");

        Assert.Equal(HttpStatusCode.OK, nan.Status);
        Assert.Equal(HttpStatusCode.OK, inf.Status);
        Assert.Equal(HttpStatusCode.OK, neg.Status);
        var history = await server.Client.GetMetricHistoryAsync(runId, "loss");
        Assert.True(double.IsNaN(history.Items[0].Value));
        Assert.True(double.IsPositiveInfinity(history.Items[1].Value));
        var run = await server.Client.GetRunAsync(runId);
        Assert.True(double.IsNegativeInfinity(run.Data!.Metrics!.Single(m => m.Key == "gain").Value));
    }

    [Fact]
    public async Task LatestMetric_OlderPointArrivingLater_DoesNotReplaceNewer()
    {
        var runId = await NewRunAsync();

        await server.Client.LogMetricAsync(runId, "acc", 0.9, timestamp: 200, step: 5);
        await server.Client.LogMetricAsync(runId, "acc", 0.1, timestamp: 100, step: 4);
        await server.Client.LogMetricAsync(runId, "acc", 0.5, timestamp: 50, step: 5);

        var latest = (await server.Client.GetRunAsync(runId)).Data!.Metrics!.Single(m => m.Key == "acc");
        Assert.Equal(0.9, latest.Value);
        Assert.Equal(5, latest.Step);
        Assert.Equal(200, latest.Timestamp);
    }

    [Fact]
    public async Task LogBatch_StoresEverything_AndHistoryIsOrderedByStep()
    {
        var runId = await NewRunAsync();
        var metrics = Enumerable.Range(0, 1000).Select(i => new Metric(i % 2 == 0 ? "a" : "b", i, 1000 + i, 999 - i)).ToList();

        await server.Client.LogBatchAsync(runId, metrics, [new Param("lr", "0.1")], [new Tag("team", "ml")]);

        var history = await server.Client.GetMetricHistoryAsync(runId, "a");
        Assert.Equal(500, history.Items.Count);
        Assert.Equal(history.Items.Select(m => m.Step).Order(), history.Items.Select(m => m.Step));
        var run = await server.Client.GetRunAsync(runId);
        Assert.Equal("0.1", run.Data!.Params!.Single().Value);
        Assert.Contains(run.Data.Tags!, t => t is { Key: "team", Value: "ml" });
        Assert.Equal(0, run.Data.Metrics!.Single(m => m.Key == "a").Value);
    }

    [Fact]
    public async Task LogBatch_OverLimits_IsRejectedAndStoresNothing()
    {
        var runId = await NewRunAsync();
        var metrics = new JsonArray(Enumerable.Range(0, 1001).Select(i => (JsonNode)new JsonObject { ["key"] = "m", ["value"] = i, ["timestamp"] = i }).ToArray());
        var parameters = new JsonArray(Enumerable.Range(0, 101).Select(i => (JsonNode)new JsonObject { ["key"] = $"p{i}", ["value"] = "v" }).ToArray());

        var tooManyMetrics = await server.PostAsync("api/2.0/mlflow/runs/log-batch", new JsonObject { ["run_id"] = runId, ["metrics"] = metrics }.ToJsonString());
        var tooManyParams = await server.PostAsync("api/2.0/mlflow/runs/log-batch", new JsonObject { ["run_id"] = runId, ["params"] = parameters }.ToJsonString());

        Assert.Equal(MlflowErrorCodes.InvalidParameterValue, tooManyMetrics.ErrorCode);
        Assert.Equal(MlflowErrorCodes.InvalidParameterValue, tooManyParams.ErrorCode);
        Assert.Empty((await server.Client.GetMetricHistoryAsync(runId, "m")).Items);
        Assert.Null((await server.Client.GetRunAsync(runId)).Data!.Params);
    }

    [Fact]
    public async Task LogParam_DifferentValue_Is400AndBatchWithItStoresNothing()
    {
        var runId = await NewRunAsync();
        await server.Client.LogParamAsync(runId, "lr", "0.1");

        var same = await server.PostAsync("api/2.0/mlflow/runs/log-parameter", $$"""{"run_id":"{{runId}}","key":"lr","value":"0.1"}""");
        var changed = await server.PostAsync("api/2.0/mlflow/runs/log-parameter", $$"""{"run_id":"{{runId}}","key":"lr","value":"0.2"}""");
        var batch = await server.PostAsync("api/2.0/mlflow/runs/log-batch",
            $$"""{"run_id":"{{runId}}","metrics":[{"key":"x","value":1,"timestamp":1,"step":0}],"params":[{"key":"lr","value":"0.3"}],"tags":[{"key":"t","value":"v"}]}""");

        Assert.Equal(HttpStatusCode.OK, same.Status);
        Assert.Equal(HttpStatusCode.BadRequest, changed.Status);
        Assert.Equal(MlflowErrorCodes.InvalidParameterValue, changed.ErrorCode);
        Assert.Contains("lr", changed.Json["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(MlflowErrorCodes.InvalidParameterValue, batch.ErrorCode);
        var run = await server.Client.GetRunAsync(runId);
        Assert.Equal("0.1", run.Data!.Params!.Single().Value);
        Assert.Null(run.Data.Metrics);
        Assert.DoesNotContain(run.Data.Tags!, t => t.Key == "t");
        Assert.Empty((await server.Client.GetMetricHistoryAsync(runId, "x")).Items);
    }

    [Theory]
    [InlineData("""{"key":"m","value":"abc","timestamp":1}""", "value")]
    [InlineData("""{"key":"m","value":1,"timestamp":"soon"}""", "timestamp")]
    [InlineData("""{"key":"../etc","value":1,"timestamp":1}""", "key")]
    [InlineData("""{"key":"m","timestamp":1}""", "value")]
    [InlineData("""{"key":"m","value":1}""", "timestamp")]
    public async Task LogMetric_BadField_Is400NamingTheField(string fields, string field)
    {
        var runId = await NewRunAsync();
        var body = fields.Insert(1, $"\"run_id\":\"{runId}\",");

        var response = await server.PostAsync("api/2.0/mlflow/runs/log-metric", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal(MlflowErrorCodes.InvalidParameterValue, response.ErrorCode);
        Assert.Contains(field, response.Json["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null((await server.Client.GetRunAsync(runId)).Data!.Metrics);
    }

    [Fact]
    public async Task MalformedJson_Is400WithPosition_NotAStackTrace()
    {
        var runId = await NewRunAsync();

        var response = await server.PostAsync("api/2.0/mlflow/runs/log-batch", $$"""{"run_id":"{{runId}}","metrics":[{"key":"m",}]}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal(MlflowErrorCodes.InvalidParameterValue, response.ErrorCode);
        Assert.Contains("line 1", response.Json["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", response.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(".cs:line", response.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OversizeParamValue_IsRejected()
    {
        var runId = await NewRunAsync();

        var response = await server.PostAsync("api/2.0/mlflow/runs/log-parameter", new JsonObject { ["run_id"] = runId, ["key"] = "big", ["value"] = new string('x', 6001) }.ToJsonString());

        Assert.Equal(MlflowErrorCodes.InvalidParameterValue, response.ErrorCode);
        Assert.Contains("6000", response.Json["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdateRun_SetsStatusEndTimeAndName()
    {
        var runId = await NewRunAsync();

        var response = await server.PostAsync("api/2.0/mlflow/runs/update", $$"""{"run_id":"{{runId}}","run_uuid":"{{runId}}","status":"FINISHED","end_time":1700000009999,"run_name":"renamed"}""");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("FINISHED", response.Json["run_info"]!["status"]!.GetValue<string>());
        var run = await server.Client.GetRunAsync(runId);
        Assert.Equal(1700000009999L, run.Info.EndTime);
        Assert.Equal("renamed", run.Info.RunName);
        Assert.Contains(run.Data!.Tags!, t => t is { Key: "mlflow.runName", Value: "renamed" });
    }

    [Fact]
    public async Task UpdateRun_BadStatus_Is400()
    {
        var runId = await NewRunAsync();

        var response = await server.PostAsync("api/2.0/mlflow/runs/update", $$"""{"run_id":"{{runId}}","status":"DONE"}""");

        Assert.Equal(MlflowErrorCodes.InvalidParameterValue, response.ErrorCode);
    }

    [Fact]
    public async Task SetTagAndDeleteTag_Work_AndDeletingMissingTagIs404()
    {
        var runId = await NewRunAsync();

        await server.Client.SetTagAsync(runId, "stage", "dev");
        await server.Client.SetTagAsync(runId, "stage", "prod");
        var afterSet = await server.Client.GetRunAsync(runId);
        await server.Client.DeleteTagAsync(runId, "stage");
        var missing = await server.PostAsync("api/2.0/mlflow/runs/delete-tag", $$"""{"run_id":"{{runId}}","key":"stage"}""");

        Assert.Contains(afterSet.Data!.Tags!, t => t is { Key: "stage", Value: "prod" });
        Assert.DoesNotContain((await server.Client.GetRunAsync(runId)).Data!.Tags!, t => t.Key == "stage");
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
    }

    [Fact]
    public async Task DeleteAndRestoreRun_ChangeLifecycle_AndDeletedRunRejectsLogging()
    {
        var runId = await NewRunAsync();

        await server.Client.DeleteRunAsync(runId);
        var deleted = await server.Client.GetRunAsync(runId);
        var log = await server.PostAsync("api/2.0/mlflow/runs/log-metric", $$"""{"run_id":"{{runId}}","key":"m","value":1,"timestamp":1}""");
        await server.Client.RestoreRunAsync(runId);

        Assert.Equal("deleted", deleted.Info.LifecycleStage);
        Assert.Equal(MlflowErrorCodes.InvalidParameterValue, log.ErrorCode);
        Assert.Equal("active", (await server.Client.GetRunAsync(runId)).Info.LifecycleStage);
    }

    [Fact]
    public async Task LogInputs_AppearOnTheRun()
    {
        var runId = await NewRunAsync();
        var dataset = new Dataset { Name = "iris", Digest = "abc123", SourceType = "local", Source = """{"uri":"/data/iris.csv"}""", Schema = "{}" };

        await server.Client.LogInputsAsync(runId, [new DatasetInput { Dataset = dataset, Tags = [new Tag("mlflow.data.context", "training")] }]);
        await server.Client.LogInputsAsync(runId, [new DatasetInput { Dataset = dataset }]);

        var inputs = (await server.Client.GetRunAsync(runId)).Inputs!.DatasetInputs!;
        Assert.Equal("iris", Assert.Single(inputs).Dataset.Name);
    }

    [Fact]
    public async Task LogModel_AppendsToModelHistoryTag_AndRejectsNonJson()
    {
        var runId = await NewRunAsync();

        await server.Client.LogModelAsync(runId, """{"artifact_path":"model","flavors":{"python_function":{}}}""");
        await server.Client.LogModelAsync(runId, """{"artifact_path":"model2","flavors":{}}""");
        var bad = await server.PostAsync("api/2.0/mlflow/runs/log-model", $$"""{"run_id":"{{runId}}","model_json":"not json"}""");

        var history = JsonNode.Parse((await server.Client.GetRunAsync(runId)).Data!.Tags!.Single(t => t.Key == "mlflow.log-model.history").Value)!.AsArray();
        Assert.Equal(["model", "model2"], history.Select(h => h!["artifact_path"]!.GetValue<string>()));
        Assert.Equal(MlflowErrorCodes.InvalidParameterValue, bad.ErrorCode);
    }

    [Fact]
    public async Task GetMetricHistory_Pages()
    {
        var runId = await NewRunAsync();
        await server.Client.LogBatchAsync(runId, Enumerable.Range(0, 25).Select(i => new Metric("m", i, i, i)));

        var first = await server.Client.GetMetricHistoryAsync(runId, "m", maxResults: 10);
        var second = await server.Client.GetMetricHistoryAsync(runId, "m", maxResults: 10, pageToken: first.NextPageToken);
        var third = await server.Client.GetMetricHistoryAsync(runId, "m", maxResults: 10, pageToken: second.NextPageToken);

        Assert.Equal(Enumerable.Range(0, 25).Select(i => (long)i), first.Items.Concat(second.Items).Concat(third.Items).Select(m => m.Step));
        Assert.Null(third.NextPageToken);
    }

    [Fact]
    public async Task GetMetricHistory_BadPageToken_Is400()
    {
        var runId = await NewRunAsync();

        var response = await server.GetAsync($"api/2.0/mlflow/metrics/get-history?run_id={runId}&metric_key=m&page_token=garbage");

        Assert.Equal(MlflowErrorCodes.InvalidParameterValue, response.ErrorCode);
    }

    [Fact]
    public async Task CreateRun_WithoutExperiment_UsesDefault()
    {
        var run = await server.Client.CreateRunAsync("", runName: "in-default");

        Assert.Equal("0", run.Info.ExperimentId);
    }

    private async Task<string> NewRunAsync()
    {
        var experimentId = await server.Client.GetOrCreateExperimentAsync("runs-" + server.TablePrefix);
        return (await server.Client.CreateRunAsync(experimentId)).Info.RunId;
    }
}
