using System.Text.Json;
using Serverless.Testing;
using Serverless.Tracking.Client;

namespace Serverless.Cli.Tests;

[Collection(HostGroup.Name)]
public sealed class TrackingCommandTests
{
    private readonly HostFixture _host;

    public TrackingCommandTests(HostFixture host)
    {
        _host = host;
    }

    [Fact]
    public async Task ExperimentsAndRuns_CreatedThroughMlflow_ListedAsTableAndJson()
    {
        var experiment = TestNames.Unique("cli-exp");
        using var mlflow = new MlflowClient(_host.Server);
        var experimentId = await mlflow.CreateExperimentAsync(experiment);
        var runIds = new List<string>();
        foreach (var (name, auc) in new[] { ("low", 0.61), ("mid", 0.83), ("high", 0.92) })
        {
            var run = await mlflow.CreateRunAsync(experimentId, runName: name);
            await mlflow.LogMetricAsync(run.Info.RunId, "auc", auc);
            await mlflow.LogParamAsync(run.Info.RunId, "model", name == "low" ? "linear" : "gbm");
            await mlflow.EndRunAsync(run.Info.RunId);
            runIds.Add(run.Info.RunId);
        }

        var expTable = await CliProcess.RunAsync(_host.Server, "experiments", "list");
        var expJson = await CliProcess.RunAsync(_host.Server, "experiments", "list", "-o", "json");
        var filtered = await CliProcess.RunAsync(_host.Server, "runs", "list", "--experiment", experiment,
            "--filter", "metrics.auc > 0.8", "--order-by", "metrics.auc DESC", "-o", "json");
        var table = await CliProcess.RunAsync(_host.Server, "runs", "list", "-e", experiment);
        var missing = await CliProcess.RunAsync(_host.Server, "runs", "list", "-e", "no-such-experiment-" + experiment);

        Assert.True(expTable.ExitCode == 0, expTable.ToString());
        Assert.Matches($@"\b{experimentId}\s+{experiment}\s+active", expTable.Stdout);
        using (var doc = JsonDocument.Parse(expJson.Stdout))
        {
            var e = doc.RootElement.GetProperty("experiments").EnumerateArray().Single(x => x.GetProperty("name").GetString() == experiment);
            Assert.Equal(experimentId, e.GetProperty("experimentId").GetString());
        }

        Assert.True(filtered.ExitCode == 0, filtered.ToString());
        using (var doc = JsonDocument.Parse(filtered.Stdout))
        {
            var runs = doc.RootElement.GetProperty("runs").EnumerateArray().ToList();
            Assert.Equal(["high", "mid"], runs.Select(r => r.GetProperty("runName").GetString()));
            Assert.Equal(0.92, runs[0].GetProperty("metrics").GetProperty("auc").GetDouble());
            Assert.Equal("gbm", runs[0].GetProperty("params").GetProperty("model").GetString());
            Assert.Equal(runIds[2], runs[0].GetProperty("runId").GetString());
            Assert.Equal("FINISHED", runs[0].GetProperty("status").GetString());
        }

        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Matches(@"RUN ID\s+NAME\s+STATUS\s+STARTED\s+auc\s+PARAMS", table.Stdout);
        Assert.Matches($@"{runIds[0]}\s+low\s+FINISHED\s+\S+ \S+\s+0\.61\s+model=linear", table.Stdout);
        Assert.Equal(1, missing.ExitCode);
        Assert.Equal($"smlops: error: --experiment: no experiment named 'no-such-experiment-{experiment}' (smlops experiments list shows them)\n", missing.Stderr);
    }

    [Fact]
    public async Task Models_WithVersionsAndAliases_ListedAndShown()
    {
        var model = TestNames.Unique("cli-model");
        using var mlflow = new MlflowClient(_host.Server);
        var experimentId = await mlflow.CreateExperimentAsync(TestNames.Unique("cli-models"));
        var run = await mlflow.CreateRunAsync(experimentId);
        await mlflow.CreateRegisteredModelAsync(model, "credit model");
        await mlflow.CreateModelVersionAsync(model, $"runs:/{run.Info.RunId}/model", run.Info.RunId);
        await mlflow.CreateModelVersionAsync(model, $"runs:/{run.Info.RunId}/model2", run.Info.RunId);
        await mlflow.SetRegisteredModelAliasAsync(model, "champion", "1");

        var list = await CliProcess.RunAsync(_host.Server, "models", "list", "-o", "json");
        var show = await CliProcess.RunAsync(_host.Server, "models", "show", model, "-o", "json");
        var showTable = await CliProcess.RunAsync(_host.Server, "models", "show", model);
        var missing = await CliProcess.RunAsync(_host.Server, "models", "show", model + "-nope");

        Assert.True(list.ExitCode == 0, list.ToString());
        using (var doc = JsonDocument.Parse(list.Stdout))
        {
            var m = doc.RootElement.GetProperty("models").EnumerateArray().Single(x => x.GetProperty("name").GetString() == model);
            Assert.Equal("2", m.GetProperty("latestVersion").GetString());
            Assert.Equal("1", m.GetProperty("aliases").GetProperty("champion").GetString());
            Assert.Equal("credit model", m.GetProperty("description").GetString());
        }

        Assert.True(show.ExitCode == 0, show.ToString());
        using (var doc = JsonDocument.Parse(show.Stdout))
        {
            var versions = doc.RootElement.GetProperty("versions").EnumerateArray().ToList();
            Assert.Equal(["2", "1"], versions.Select(v => v.GetProperty("version").GetString()));
            Assert.Equal(run.Info.RunId, versions[1].GetProperty("runId").GetString());
        }

        Assert.Matches(@"\b1\s+champion\s+None\s+READY\s+" + run.Info.RunId, showTable.Stdout);
        Assert.Equal(1, missing.ExitCode);
        Assert.Equal($"smlops: error: no registered model named '{model}-nope' (smlops models list shows them)\n", missing.Stderr);
    }
}
