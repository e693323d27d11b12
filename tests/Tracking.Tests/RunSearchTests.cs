using System.Net;
using Serverless.Testing;
using Serverless.Tracking.Client;

namespace Serverless.Tracking.Tests;

public sealed class RunSearchTests(MlflowServer server) : IClassFixture<MlflowServer>
{
    [Fact]
    public async Task Search_MetricFilterAndOrder_ReturnsMatchingRunsBestFirst()
    {
        var (experimentId, runs) = await SeedAsync();

        var page = await server.Client.SearchRunsAsync([experimentId], "metrics.acc > 0.5", orderBy: ["metrics.acc DESC"]);

        Assert.Equal(runs.Where(r => r.Acc > 0.5).OrderByDescending(r => r.Acc).Select(r => r.Id), page.Items.Select(r => r.Info.RunId));
        Assert.All(page.Items, r => Assert.NotNull(r.Data!.Params));
    }

    [Fact]
    public async Task Search_ParamTagAttributeAndLikeFilters()
    {
        var (experimentId, runs) = await SeedAsync();

        var byParam = await server.Client.SearchRunsAsync([experimentId], "params.model = 'tree' and metrics.acc >= 0.3");
        var byTag = await server.Client.SearchRunsAsync([experimentId], "tags.group ILIKE 'G%'");
        var byIn = await server.Client.SearchRunsAsync([experimentId], "params.model IN ('linear')");
        var byNotIn = await server.Client.SearchRunsAsync([experimentId], "params.model NOT IN ('linear')");
        var byStatus = await server.Client.SearchRunsAsync([experimentId], "attributes.status = 'FINISHED'");
        var byName = await server.Client.SearchRunsAsync([experimentId], "attributes.run_name LIKE 'r-1%'");

        Assert.Equal(runs.Where(r => r.Model == "tree" && r.Acc >= 0.3).Select(r => r.Id).Order(), byParam.Items.Select(r => r.Info.RunId).Order());
        Assert.Equal(runs.Count, byTag.Items.Count);
        Assert.Equal(runs.Count(r => r.Model == "linear"), byIn.Items.Count);
        Assert.Equal(runs.Count(r => r.Model != "linear"), byNotIn.Items.Count);
        Assert.Equal(runs.Count(r => r.Finished), byStatus.Items.Count);
        Assert.Equal(runs.Count(r => r.Name.StartsWith("r-1", StringComparison.Ordinal)), byName.Items.Count);
    }

    [Fact]
    public async Task Search_Pages_WithoutOverlap()
    {
        var (experimentId, runs) = await SeedAsync();

        var seen = new List<string>();
        string? token = null;
        do
        {
            var page = await server.Client.SearchRunsAsync([experimentId], orderBy: ["params.model ASC", "metrics.acc ASC"], maxResults: 3, pageToken: token);
            seen.AddRange(page.Items.Select(r => r.Info.RunId));
            token = page.NextPageToken;
        }
        while (token is not null);

        Assert.Equal(runs.Count, seen.Count);
        Assert.Equal(runs.Count, seen.Distinct().Count());
    }

    [Fact]
    public async Task Search_DeletedRuns_FollowRunViewType()
    {
        var (experimentId, runs) = await SeedAsync();
        await server.Client.DeleteRunAsync(runs[0].Id);

        var active = await server.Client.SearchRunsAsync([experimentId]);
        var deleted = await server.Client.SearchRunsAsync([experimentId], runViewType: "DELETED_ONLY");
        var all = await server.Client.SearchRunsAsync([experimentId], runViewType: "ALL");

        Assert.Equal(runs.Count - 1, active.Items.Count);
        Assert.Equal(runs[0].Id, Assert.Single(deleted.Items).Info.RunId);
        Assert.Equal(runs.Count, all.Items.Count);
    }

    [Fact]
    public async Task Search_RunsMissingTheMetric_SortLast()
    {
        var experimentId = await server.Client.CreateExperimentAsync(TestNames.Unique("missing"));
        var without = (await server.Client.CreateRunAsync(experimentId)).Info.RunId;
        var with = (await server.Client.CreateRunAsync(experimentId)).Info.RunId;
        await server.Client.LogMetricAsync(with, "acc", 0.1);

        var ascending = await server.Client.SearchRunsAsync([experimentId], orderBy: ["metrics.acc ASC"]);
        var descending = await server.Client.SearchRunsAsync([experimentId], orderBy: ["metrics.acc DESC"]);

        Assert.Equal([with, without], ascending.Items.Select(r => r.Info.RunId));
        Assert.Equal([with, without], descending.Items.Select(r => r.Info.RunId));
    }

    [Theory]
    [InlineData("metrics.acc >> 0.5")]
    [InlineData("attributes.nonsense = 'x'")]
    [InlineData("params.lr > 0.1")]
    public async Task Search_BadFilter_Is400InvalidParameterValue(string filter)
    {
        var response = await server.PostAsync("api/2.0/mlflow/runs/search",
            new System.Text.Json.Nodes.JsonObject { ["experiment_ids"] = new System.Text.Json.Nodes.JsonArray("0"), ["filter"] = filter }.ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal(MlflowErrorCodes.InvalidParameterValue, response.ErrorCode);
        Assert.Contains(filter, response.Json["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_BadOrderByAndMaxResults_Are400()
    {
        var order = await server.PostAsync("api/2.0/mlflow/runs/search", """{"experiment_ids":["0"],"order_by":["metrics.acc SIDEWAYS"]}""");
        var max = await server.PostAsync("api/2.0/mlflow/runs/search", """{"experiment_ids":["0"],"max_results":50001}""");

        Assert.Equal(MlflowErrorCodes.InvalidParameterValue, order.ErrorCode);
        Assert.Equal(MlflowErrorCodes.InvalidParameterValue, max.ErrorCode);
    }

    [Fact]
    public async Task Search_AcrossExperiments_AndEmptyResultIsEmptyObject()
    {
        var (a, runsA) = await SeedAsync();
        var (b, runsB) = await SeedAsync();

        var both = await server.Client.SearchRunsAsync([a, b]);
        var none = await server.PostAsync("api/2.0/mlflow/runs/search", $$"""{"experiment_ids":["{{a}}"],"filter":"metrics.acc > 100"}""");

        Assert.Equal(runsA.Count + runsB.Count, both.Items.Count);
        Assert.Equal("{}", none.Body);
    }

    private async Task<(string ExperimentId, List<SeedRun> Runs)> SeedAsync()
    {
        var experimentId = await server.Client.CreateExperimentAsync(TestNames.Unique("search"));
        var runs = new List<SeedRun>();
        for (var i = 0; i < 10; i++)
        {
            var name = $"r-{i}";
            var run = await server.Client.CreateRunAsync(experimentId, runName: name, startTime: 1000 + i);
            var acc = (i * 37 % 10) / 10.0;
            var model = i % 3 == 0 ? "linear" : "tree";
            await server.Client.LogBatchAsync(run.Info.RunId, [new Metric("acc", acc, 1, 0)], [new Param("model", model)], [new Tag("group", "g" + (i % 2))]);
            var finished = i % 4 == 0;
            if (finished)
            {
                await server.Client.EndRunAsync(run.Info.RunId);
            }

            runs.Add(new SeedRun(run.Info.RunId, name, acc, model, finished));
        }

        return (experimentId, runs);
    }

    private sealed record SeedRun(string Id, string Name, double Acc, string Model, bool Finished);
}
