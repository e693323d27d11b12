using Serverless.Testing;
using Serverless.Tracking.Client;

namespace Serverless.Tracking.Tests;

/// <summary>
/// Search reads per-key metric columns and lets the table service pre-filter; these cases check the
/// answers stay those of the in-memory language: non-finite values, more keys than columns, keys
/// too long for a column, and hosts whose run cache is cold or stale.
/// </summary>
public sealed class RunSearchPushdownTests(MlflowServer server) : IClassFixture<MlflowServer>
{
    [Fact]
    public async Task Search_NonFiniteAndNegativeValues_FilterAndSortAsInMemory()
    {
        var experimentId = await server.Client.CreateExperimentAsync(TestNames.Unique("nonfinite"));
        var values = new Dictionary<string, double>
        {
            ["nan"] = double.NaN, ["pinf"] = double.PositiveInfinity, ["ninf"] = double.NegativeInfinity, ["nzero"] = -0.0,
            ["half"] = 0.5, ["high"] = 0.7, ["neg"] = -2,
        };
        var ids = new Dictionary<string, string>();
        foreach (var (name, value) in values)
        {
            var run = await server.Client.CreateRunAsync(experimentId, runName: name);
            await server.Client.LogMetricAsync(run.Info.RunId, "acc", value);
            ids[run.Info.RunId] = name;
        }

        async Task<List<string>> Names(string filter, string? order = null) =>
            (await server.Client.SearchRunsAsync([experimentId], filter, orderBy: order is null ? null : [order])).Items.Select(r => ids[r.Info.RunId]).ToList();

        Assert.Equal(["pinf", "high"], await Names("metrics.acc > 0.5", "metrics.acc DESC"));
        Assert.Equal(["half", "high", "pinf"], await Names("metrics.acc >= 0.5", "metrics.acc ASC"));
        Assert.Equal(["ninf", "neg"], await Names("metrics.acc < 0", "metrics.acc ASC"));
        Assert.Equal(["nzero"], await Names("metrics.acc = 0"));
        Assert.Equal(["half"], await Names("metrics.acc <= 0.5 and metrics.acc > 0.25"));
        Assert.Equal(["high", "nan", "neg", "ninf", "nzero", "pinf"], (await Names("metrics.acc != 0.5")).Order(StringComparer.Ordinal));
        Assert.Equal(["pinf", "high", "half", "nzero", "neg", "ninf", "nan"], await Names("", "metrics.acc DESC"));
    }

    [Fact]
    public async Task Search_RunWithMoreKeysThanColumns_IsStillFound()
    {
        var experimentId = await server.Client.CreateExperimentAsync(TestNames.Unique("wide"));
        var wide = (await server.Client.CreateRunAsync(experimentId)).Info.RunId;
        await server.Client.LogBatchAsync(wide, Enumerable.Range(0, 120).Select(i => new Metric($"m{i:D3}", i / 100.0, 1, 0)));
        var narrow = (await server.Client.CreateRunAsync(experimentId)).Info.RunId;
        await server.Client.LogMetricAsync(narrow, "m119", 0.1);

        // m119 sorts after the first 100 keys, so the wide run has no column for it.
        var found = await server.Client.SearchRunsAsync([experimentId], "metrics.m119 > 1");
        var ordered = await server.Client.SearchRunsAsync([experimentId], orderBy: ["metrics.m119 DESC"]);

        var run = Assert.Single(found.Items);
        Assert.Equal(wide, run.Info.RunId);
        Assert.Equal(120, run.Data!.Metrics!.Count);
        Assert.Equal([wide, narrow], ordered.Items.Select(r => r.Info.RunId));
    }

    [Fact]
    public async Task Search_KeyTooLongForAColumn_UsesTheJsonColumn()
    {
        var experimentId = await server.Client.CreateExperimentAsync(TestNames.Unique("longkey"));
        var key = string.Concat(Enumerable.Repeat("a/", 99)) + "a";
        var high = (await server.Client.CreateRunAsync(experimentId)).Info.RunId;
        await server.Client.LogMetricAsync(high, key, 5);
        var low = (await server.Client.CreateRunAsync(experimentId)).Info.RunId;
        await server.Client.LogMetricAsync(low, key, 1);

        var page = await server.Client.SearchRunsAsync([experimentId], $"metrics.`{key}` > 2");

        Assert.Equal(high, Assert.Single(page.Items).Info.RunId);
    }

    [Fact]
    public async Task Search_FromAHostWithAColdCache_ReturnsWholeRuns()
    {
        var experimentId = await server.Client.CreateExperimentAsync(TestNames.Unique("cold"));
        var expected = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            var run = (await server.Client.CreateRunAsync(experimentId, runName: $"c{i}")).Info.RunId;
            await server.Client.LogBatchAsync(run, [new Metric("acc", i / 30.0, 7, 3)], [new Param("i", i.ToString(System.Globalization.CultureInfo.InvariantCulture))], [new Tag("t", "v")]);
            expected.Add(run);
        }

        var other = new TrackingService(new TableTrackingStore(server.Storage, new TrackingOptions { TablePrefix = server.TablePrefix }));
        var page = await other.SearchRunsAsync([experimentId], "metrics.acc >= 0.5", 100, ["metrics.acc DESC"], null, null);

        Assert.Equal(Enumerable.Range(15, 15).Reverse().Select(i => expected[i]), page.Items.Select(r => r.Info.RunId));
        Assert.All(page.Items, r =>
        {
            var metric = Assert.Single(r.Data!.Metrics!);
            Assert.Equal((7L, 3L), (metric.Timestamp, metric.Step));
            Assert.Equal("v", r.Data.Tags!.Single(t => t.Key == "t").Value);
            Assert.Single(r.Data.Params!);
        });
    }

    [Fact]
    public async Task Search_RunChangedByAnotherHost_ReturnsTheStoredValues()
    {
        var experimentId = await server.Client.CreateExperimentAsync(TestNames.Unique("stale"));
        var run = (await server.Client.CreateRunAsync(experimentId)).Info.RunId;
        await server.Client.LogMetricAsync(run, "acc", 0.1, step: 0);
        await server.Client.SearchRunsAsync([experimentId]);

        // Another instance logs a newer point: this host's cached row is now stale.
        var other = new TrackingService(new TableTrackingStore(server.Storage, new TrackingOptions { TablePrefix = server.TablePrefix }));
        await other.LogMetricAsync(run, new Metric("acc", 0.9, 2, 1));
        var page = await server.Client.SearchRunsAsync([experimentId], "metrics.acc > 0.5");

        Assert.Equal(0.9, Assert.Single(Assert.Single(page.Items).Data!.Metrics!).Value);
    }
}
