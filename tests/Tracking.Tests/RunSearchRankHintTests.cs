using System.Globalization;
using Serverless.Testing;
using Serverless.Tracking.Client;
using Serverless.Tracking.Search;

namespace Serverless.Tracking.Tests;

/// <summary>
/// A search ordered by a metric leaves rank hints, and the next search of the same shape reads only
/// the runs that can reach its page. These cases check that a narrowed search answers exactly what a
/// host without hints answers, also after other hosts delete, add or change runs under it.
/// </summary>
public sealed class RunSearchRankHintTests(MlflowServer server) : IClassFixture<MlflowServer>
{
    [Fact]
    public async Task Search_SameShapeTwice_SecondIsNarrowedAndEqual()
    {
        var experimentId = await SeedAsync("same", 60);
        var (service, store) = NewHost();

        var first = await service.SearchRunsAsync([experimentId], "metrics.acc > 0.2", 10, ["metrics.acc DESC"], null, null);
        var second = await service.SearchRunsAsync([experimentId], "metrics.acc > 0.2", 10, ["metrics.acc DESC"], null, null);

        Assert.Equal(1, store.NarrowedSearches);
        Assert.Equal(Ids(first.Items), Ids(second.Items));
        Assert.Equal(10, second.Items.Count);
        Assert.NotNull(second.NextPageToken);
        Assert.All(second.Items, r =>
        {
            // Whole runs, not the projection the sort used: the latest point keeps its timestamp.
            Assert.NotNull(r.Data!.Params);
            Assert.Equal(1, Assert.Single(r.Data.Metrics!).Timestamp);
        });
    }

    [Fact]
    public async Task Search_AfterTopRunsDeletedByAnotherHost_FallsBackAndStaysComplete()
    {
        var experimentId = await SeedAsync("deleted", 40);
        var (service, store) = NewHost();
        var before = await service.SearchRunsAsync([experimentId], null, 5, ["metrics.acc DESC"], null, null);

        // Another host deletes the best 30: the hint's threshold now leaves fewer runs than a page.
        var (other, _) = NewHost();
        var all = await other.SearchRunsAsync([experimentId], null, 100, ["metrics.acc DESC"], null, null);
        foreach (var run in all.Items.Take(30))
        {
            await other.DeleteRunAsync(run.Info.RunId);
        }

        var after = await service.SearchRunsAsync([experimentId], null, 5, ["metrics.acc DESC"], null, null);
        var truth = await NewHost().Service.SearchRunsAsync([experimentId], null, 5, ["metrics.acc DESC"], null, null);

        Assert.Equal(5, before.Items.Count);
        Assert.Equal(0, store.NarrowedSearches);
        Assert.Equal(Ids(truth.Items), Ids(after.Items));
        Assert.Equal(Ids(all.Items.Skip(30).Take(5)), Ids(after.Items));
        Assert.NotNull(after.NextPageToken);
    }

    [Fact]
    public async Task Search_RunsAddedAndChangedByAnotherHost_NarrowedAnswerMatchesAFreshHost()
    {
        var experimentId = await SeedAsync("changed", 50);
        var (service, store) = NewHost();
        await service.SearchRunsAsync([experimentId], null, 8, ["metrics.acc DESC"], null, null);

        // Another host adds better runs and lowers the current best one below every other run.
        var (other, _) = NewHost();
        var best = (await other.SearchRunsAsync([experimentId], null, 1, ["metrics.acc DESC"], null, null)).Items[0].Info.RunId;
        await other.LogMetricAsync(best, new Metric("acc", -1, 2, 5));
        for (var i = 0; i < 3; i++)
        {
            var run = await other.CreateRunAsync(experimentId, $"new{i}");
            await other.LogMetricAsync(run.Info.RunId, new Metric("acc", 2 + i, 1, 0));
        }

        var narrowed = await service.SearchRunsAsync([experimentId], null, 8, ["metrics.acc DESC"], null, null);
        var truth = await NewHost().Service.SearchRunsAsync([experimentId], null, 8, ["metrics.acc DESC"], null, null);

        Assert.Equal(1, store.NarrowedSearches);
        Assert.Equal(Ids(truth.Items), Ids(narrowed.Items));
        Assert.DoesNotContain(best, Ids(narrowed.Items));
        Assert.Equal(["new2", "new1", "new0"], narrowed.Items.Take(3).Select(r => r.Info.RunName));
    }

    [Fact]
    public async Task Search_PagingWithHints_VisitsEveryMatchOnceInOrder()
    {
        var experimentId = await SeedAsync("paging", 45);
        var (service, store) = NewHost();
        var truth = await NewHost().Service.SearchRunsAsync([experimentId], "metrics.acc >= 0.1", 1000, ["metrics.acc DESC"], null, null);

        // The first page records hints; later first pages and early pages are narrowed.
        await service.SearchRunsAsync([experimentId], "metrics.acc >= 0.1", 6, ["metrics.acc DESC"], null, null);
        var seen = new List<string>();
        string? token = null;
        do
        {
            var page = await service.SearchRunsAsync([experimentId], "metrics.acc >= 0.1", 6, ["metrics.acc DESC"], token, null);
            seen.AddRange(Ids(page.Items));
            token = page.NextPageToken;
        }
        while (token is not null);

        Assert.True(store.NarrowedSearches >= 2, $"narrowed {store.NarrowedSearches} times");
        Assert.Equal(Ids(truth.Items), seen);
    }

    [Fact]
    public async Task Search_AscendingWhenAnotherHostLogsNaN_NarrowedAnswerPutsItFirstAsAFreshHost()
    {
        // Negative values: their encoded form sorts below the text 'NaN', unlike positive ones.
        var experimentId = await SeedAsync("asc", 40, shift: -10);
        var (seed, _) = NewHost();
        var negative = await seed.CreateRunAsync(experimentId, "ninf");
        await seed.LogMetricAsync(negative.Info.RunId, new Metric("acc", double.NegativeInfinity, 1, 0));
        await seed.CreateRunAsync(experimentId, "no-metric");
        var (service, store) = NewHost();
        await service.SearchRunsAsync([experimentId], null, 5, ["metrics.acc ASC"], null, null);

        // NaN sorts first ascending; a NaN logged after the hint was recorded must still be read.
        var nan = await seed.CreateRunAsync(experimentId, "nan");
        await seed.LogMetricAsync(nan.Info.RunId, new Metric("acc", double.NaN, 1, 0));
        var narrowed = await service.SearchRunsAsync([experimentId], null, 5, ["metrics.acc ASC"], null, null);
        var truth = await NewHost().Service.SearchRunsAsync([experimentId], null, 5, ["metrics.acc ASC"], null, null);

        Assert.Equal(1, store.NarrowedSearches);
        Assert.Equal(Ids(truth.Items), Ids(narrowed.Items));
        Assert.Equal(["nan", "ninf"], narrowed.Items.Take(2).Select(r => r.Info.RunName));
    }

    [Fact]
    public async Task Search_NaNBeforeTheHint_RecordsNoHintAndStaysCorrect()
    {
        var experimentId = await SeedAsync("nanfirst", 20);
        var (seed, _) = NewHost();
        var nan = await seed.CreateRunAsync(experimentId, "nan");
        await seed.LogMetricAsync(nan.Info.RunId, new Metric("acc", double.NaN, 1, 0));
        var (service, store) = NewHost();

        var first = await service.SearchRunsAsync([experimentId], null, 3, ["metrics.acc ASC"], null, null);
        var second = await service.SearchRunsAsync([experimentId], null, 3, ["metrics.acc ASC"], null, null);

        Assert.Equal(0, store.NarrowedSearches);
        Assert.Equal(Ids(first.Items), Ids(second.Items));
        Assert.Equal("nan", first.Items[0].Info.RunName);
    }

    [Fact]
    public void Threshold_RecordedRanks_PicksARankOfAtLeastTwiceTheNeed()
    {
        var hints = new RankHints();
        hints.Record("s", Enumerable.Range(0, 100).Select(i => (double?)(100 - i)));

        Assert.Equal(100 - 15, hints.Threshold("s", 5));
        Assert.Equal(100 - 63, hints.Threshold("s", 20));
        Assert.Null(hints.Threshold("s", 40));
        Assert.Null(hints.Threshold("other", 1));
    }

    [Fact]
    public void Record_ValuesEndingInNaNOrMissing_StopsThere()
    {
        var hints = new RankHints();
        hints.Record("s", [5, 4, 3, double.NaN, 1, 0, -1, -2]);
        hints.Record("t", [null, 5, 4]);

        Assert.Equal(4, hints.Threshold("s", 1));
        Assert.Null(hints.Threshold("s", 2));
        Assert.Null(hints.Threshold("t", 1));
    }

    [Fact]
    public void Shape_OrderNotLedByAMetric_HasNoShape()
    {
        Assert.Null(RankHints.Shape(["1"], ViewType.ActiveOnly, SearchFilter.Empty, [new OrderByClause(FilterEntityKind.Param, "p", true)]));
        Assert.Null(RankHints.Shape(["1"], ViewType.ActiveOnly, SearchFilter.Empty, []));
        Assert.NotEqual(
            RankHints.Shape(["1"], ViewType.ActiveOnly, SearchFilter.Empty, [new OrderByClause(FilterEntityKind.Metric, "m", true)]),
            RankHints.Shape(["1"], ViewType.ActiveOnly, SearchFilter.Empty, [new OrderByClause(FilterEntityKind.Metric, "m", false)]));
    }

    private static List<string> Ids(IEnumerable<Run> runs) => runs.Select(r => r.Info.RunId).ToList();

    private (TrackingService Service, TableTrackingStore Store) NewHost()
    {
        var store = new TableTrackingStore(server.Storage, new TrackingOptions { TablePrefix = server.TablePrefix });
        return (new TrackingService(store), store);
    }

    private async Task<string> SeedAsync(string name, int runs, double shift = 0)
    {
        // The fixture creates its tables and container on the first request; these tests call stores directly.
        await server.GetAsync("/api/2.0/mlflow/experiments/get?experiment_id=0");
        var (service, _) = NewHost();
        var experimentId = await service.CreateExperimentAsync(TestNames.Unique(name));
        // Two decimals give ties, so the start_time / run_id tie-breaks take part too.
        var random = new Random(runs);
        var values = Enumerable.Range(0, runs).Select(_ => Math.Round(random.NextDouble(), 2) + shift).ToList();
        await Task.WhenAll(Enumerable.Range(0, runs).Chunk(10).Select(async chunk =>
        {
            foreach (var i in chunk)
            {
                var run = await service.CreateRunAsync(experimentId, $"r{i}");
                await service.LogBatchAsync(
                    run.Info.RunId, [new Metric("acc", values[i], 1, 0)], [new Param("i", i.ToString(CultureInfo.InvariantCulture))], []);
            }
        }));
        return experimentId;
    }
}
