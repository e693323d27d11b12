using System.Globalization;
using System.Net;
using System.Text.Json;
using Serverless.Testing;

namespace Serverless.Pipelines.Orchestration.Tests;

/// <summary>
/// The real credit-scoring pipeline through the real host: build, validate … register, with the register step
/// calling the host's own MLflow API. Everything asserted is read back from the store.
/// </summary>
public sealed class CreditScoringEndToEndTests
{
    [Fact]
    public async Task CreditScoring_RunByName_SucceedsAndRegistersChampionWithRecordedAuc()
    {
        await using var api = await HostApi.StartAsync("credit", sourceRoot: Path.Combine(RepoPaths.Root, "pipelines"));
        var model = TestNames.Unique("credit");

        var runId = await api.StartRunAsync("credit-scoring", new
        {
            parameters = new { model_name = model, num_trees = 100 },
            experimentName = TestNames.Unique("exp"),
        });
        var run = await api.WaitForRunAsync(runId, 600);

        Assert.True(run.GetProperty("status").GetString() == "Succeeded", $"run ended {run}");
        foreach (var step in new[] { "validate", "preprocess", "train", "evaluate", "gate", "register" })
        {
            Assert.Equal("Succeeded", HostApi.StatusOf(run, step));
        }

        var registered = HostApi.Step(run, "register").GetProperty("outputs").GetProperty("version").GetString();
        var (aliasStatus, alias, _) = await api.SendAsync(HttpMethod.Get, $"/api/2.0/mlflow/registered-models/alias?name={model}&alias=champion");
        Assert.Equal(HttpStatusCode.OK, aliasStatus);
        var version = alias.GetProperty("model_version");
        Assert.Equal(registered, version.GetProperty("version").GetString());

        // The evaluate step's own tracking run holds the AUC metric the step logged; the version's tag agrees.
        var evaluateRun = HostApi.Step(run, "evaluate").GetProperty("trackingRunId").GetString();
        var (runStatus, evaluate, _) = await api.SendAsync(HttpMethod.Get, $"/api/2.0/mlflow/runs/get?run_id={evaluateRun}");
        Assert.Equal(HttpStatusCode.OK, runStatus);
        var auc = evaluate.GetProperty("run").GetProperty("data").GetProperty("metrics").EnumerateArray()
            .Single(m => m.GetProperty("key").GetString() == "auc").GetProperty("value").GetDouble();
        Assert.InRange(auc, 0.7, 1.0);
        var tagAuc = version.GetProperty("tags").EnumerateArray().Single(t => t.GetProperty("key").GetString() == "auc").GetProperty("value").GetString();
        Assert.Equal(auc, double.Parse(tagAuc!, CultureInfo.InvariantCulture), 6);
        Assert.Equal(auc, double.Parse(HostApi.Step(run, "evaluate").GetProperty("outputs").GetProperty("auc").GetString()!, CultureInfo.InvariantCulture), 6);

        // The parent tracking run carries the lineage tags and ended FINISHED.
        var (parentStatus, parent, _) = await api.SendAsync(HttpMethod.Get, $"/api/2.0/mlflow/runs/get?run_id={run.GetProperty("trackingRunId").GetString()}");
        Assert.Equal(HttpStatusCode.OK, parentStatus);
        Assert.Equal("FINISHED", parent.GetProperty("run").GetProperty("info").GetProperty("status").GetString());
        var tags = parent.GetProperty("run").GetProperty("data").GetProperty("tags").EnumerateArray()
            .ToDictionary(t => t.GetProperty("key").GetString()!, t => t.GetProperty("value").GetString());
        Assert.Equal(run.GetProperty("version").GetString(), tags["serverless.pipeline_version"]);
        Assert.StartsWith("sha256:", tags["serverless.data.data"], StringComparison.Ordinal);
        Assert.StartsWith("sha256:", tags["serverless.code_digest"], StringComparison.Ordinal);
    }
}
