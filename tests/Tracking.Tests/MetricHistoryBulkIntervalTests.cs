using System.Net;
using Serverless.Testing;
using Serverless.Tracking.Client;

namespace Serverless.Tracking.Tests;

public sealed class MetricHistoryBulkIntervalTests(MlflowServer server) : IClassFixture<MlflowServer>
{
    private const string Route = "api/2.0/mlflow/metrics/get-history-bulk-interval";

    [Fact]
    public async Task BulkInterval_TwoRuns_SameSampledSteps_WithRunIds()
    {
        var (a, b) = await SeedAsync();

        var response = await server.GetAsync($"{Route}?run_ids={a}&run_ids={b}&metric_key=loss&max_results=5");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        var metrics = response.Json["metrics"]!.AsArray();
        var forA = metrics.Where(m => m!["run_id"]!.GetValue<string>() == a).Select(m => m!["step"]!.GetValue<long>()).ToList();
        var forB = metrics.Where(m => m!["run_id"]!.GetValue<string>() == b).Select(m => m!["step"]!.GetValue<long>()).ToList();
        Assert.Equal([0L, 12L, 25L, 37L, 49L], forA);
        Assert.Equal([0L, 12L, 25L, 37L, 49L], forB);
        Assert.Equal(string.CompareOrdinal(a, b) < 0 ? a : b, metrics[0]!["run_id"]!.GetValue<string>());
        Assert.Equal("loss", metrics[0]!["key"]!.GetValue<string>());
        Assert.Equal(1_700_000_000_000L, metrics.First(m => m!["run_id"]!.GetValue<string>() == a)!["timestamp"]!.GetValue<long>());
    }

    [Fact]
    public async Task BulkInterval_StepRange_AllPointsWhenUnderTheLimit()
    {
        var (a, _) = await SeedAsync();

        var response = await server.GetAsync($"{Route}?run_ids[]={a}&metric_key=loss&start_step=10&end_step=14");

        var steps = response.Json["metrics"]!.AsArray().Select(m => m!["step"]!.GetValue<long>()).ToList();
        Assert.Equal([10L, 11L, 12L, 13L, 14L], steps);
        Assert.Equal(1.0 / 11, response.Json["metrics"]![0]!["value"]!.GetValue<double>(), 12);
    }

    [Fact]
    public async Task BulkInterval_UnknownKey_IsEmptyObject()
    {
        var (a, _) = await SeedAsync();

        var response = await server.GetAsync($"{Route}?run_ids={a}&metric_key=nothing");

        Assert.Equal((HttpStatusCode.OK, "{}"), (response.Status, response.Body));
    }

    [Theory]
    [InlineData("metric_key=loss", "run_ids")]
    [InlineData("run_ids=RUN", "metric_key")]
    [InlineData("run_ids=RUN&metric_key=loss&start_step=3", "both")]
    [InlineData("run_ids=RUN&metric_key=loss&start_step=5&end_step=1", "end_step")]
    [InlineData("run_ids=RUN&metric_key=loss&max_results=0", "max_results")]
    [InlineData("run_ids=RUN&metric_key=loss&max_results=2501", "max_results")]
    [InlineData("run_ids=RUN&metric_key=loss&start_step=x&end_step=2", "start_step")]
    public async Task BulkInterval_BadRequest_Is400NamingTheField(string query, string named)
    {
        var (a, _) = await SeedAsync();

        var response = await server.GetAsync($"{Route}?{query.Replace("RUN", a, StringComparison.Ordinal)}");

        Assert.Equal((HttpStatusCode.BadRequest, MlflowErrorCodes.InvalidParameterValue), (response.Status, response.ErrorCode));
        Assert.Contains(named, response.Json["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BulkInterval_TooManyRunsOrUnknownRun_AreMlflowErrors()
    {
        var tooMany = string.Join("&", Enumerable.Range(0, 101).Select(i => $"run_ids=r{i}"));

        var many = await server.GetAsync($"{Route}?{tooMany}&metric_key=loss");
        var unknown = await server.GetAsync($"{Route}?run_ids=0123456789abcdef0123456789abcdef&metric_key=loss");

        Assert.Equal(MlflowErrorCodes.InvalidParameterValue, many.ErrorCode);
        Assert.Equal((HttpStatusCode.NotFound, MlflowErrorCodes.ResourceDoesNotExist), (unknown.Status, unknown.ErrorCode));
    }

    private async Task<(string A, string B)> SeedAsync()
    {
        var experimentId = await server.Client.CreateExperimentAsync(TestNames.Unique("bulk"));
        var a = (await server.Client.CreateRunAsync(experimentId)).Info.RunId;
        var b = (await server.Client.CreateRunAsync(experimentId)).Info.RunId;
        var points = Enumerable.Range(0, 50).Select(i => new Metric("loss", 1.0 / (i + 1), 1_700_000_000_000 + i, i)).ToList();
        await server.Client.LogBatchAsync(a, points);
        await server.Client.LogBatchAsync(b, points);
        return (a, b);
    }
}
