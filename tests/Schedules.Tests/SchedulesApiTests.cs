using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serverless.Pipelines.Packaging;
using Serverless.Schedules.Http;
using Serverless.Testing;

namespace Serverless.Schedules.Tests;

public class SchedulesApiTests
{
    private const string PipelineYaml = """
        name: churn-api
        parameters:
          lr: {type: number, default: 0.1}
        steps:
          train:
            command: echo train
        schedules:
          - name: nightly
            cron: "0 30 2 * * *"
            time_zone: Europe/Berlin
            parameters: {lr: 0.2}
            overlap: queue
            catch_up: {policy: all, window: 6h}
          - name: weekly
            cron: "0 4 * * 1"
            paused: true
        """;

    [Fact]
    public async Task Endpoints_ApplyListPauseResumeTriggerDelete_FollowTheContract()
    {
        await using var h = await ScheduleHarness.StartAsync();
        var packages = new PackageStoreOptions { ContainerName = TestNames.Unique("pkgs") };
        var folder = Directory.CreateTempSubdirectory("schedules-api-").FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, PipelinePackager.DefinitionFileName), PipelineYaml);
        var packager = new PipelinePackager(h.Storage, packages);
        var published = await packager.PublishAsync(folder);
        await using var app = await StartApiAsync(h, packager);
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        var apply = await http.PostAsync("/api/pipelines/churn-api/schedules/apply", Json("{}"));
        Assert.Equal(HttpStatusCode.OK, apply.StatusCode);
        var applied = await ReadAsync(apply);
        Assert.Equal(["churn-api.nightly", "churn-api.weekly"], applied.GetProperty("schedules").EnumerateArray().Select(s => s.GetProperty("id").GetString()!).Order().ToArray());

        var list = await ReadAsync(await http.GetAsync("/api/schedules?pipeline=churn-api"));
        var nightly = list.GetProperty("schedules").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "nightly");
        Assert.Equal("churn-api", nightly.GetProperty("pipeline").GetString());
        Assert.Equal(published.Manifest.Version, nightly.GetProperty("version").GetString());
        Assert.Equal("0 30 2 * * *", nightly.GetProperty("cron").GetString());
        Assert.Equal("Europe/Berlin", nightly.GetProperty("timeZone").GetString());
        Assert.False(nightly.GetProperty("paused").GetBoolean());
        Assert.Equal("queue", nightly.GetProperty("overlap").GetString());
        Assert.Equal("all(6h)", nightly.GetProperty("catchUp").GetString());
        Assert.Equal(0.2, nightly.GetProperty("parameters").GetProperty("lr").GetDouble());
        var next = nightly.GetProperty("nextOccurrences").EnumerateArray().Select(e => DateTimeOffset.Parse(e.GetString()!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(5, next.Count);
        Assert.All(next, o => Assert.Equal(30, o.Minute));
        Assert.Equal(JsonValueKind.Null, nightly.GetProperty("lastRunId").ValueKind);
        var weekly = await ReadAsync(await http.GetAsync("/api/schedules/churn-api.weekly"));
        Assert.True(weekly.GetProperty("paused").GetBoolean());
        Assert.Empty(weekly.GetProperty("nextOccurrences").EnumerateArray());

        var pause = await http.PostAsync("/api/schedules/churn-api.nightly/pause", null);
        Assert.Equal(HttpStatusCode.Accepted, pause.StatusCode);
        Assert.True((await ReadAsync(pause)).GetProperty("paused").GetBoolean());
        var resume = await http.PostAsync("/api/schedules/churn-api.nightly/resume", null);
        Assert.Equal(HttpStatusCode.Accepted, resume.StatusCode);
        Assert.False((await ReadAsync(resume)).GetProperty("paused").GetBoolean());

        var trigger = await http.PostAsync("/api/schedules/churn-api.nightly/trigger", null);
        Assert.Equal(HttpStatusCode.Accepted, trigger.StatusCode);
        var runId = (await ReadAsync(trigger)).GetProperty("runId").GetString()!;
        Assert.StartsWith("churn-api.nightly-manual-", runId, StringComparison.Ordinal);
        Assert.Equal($"/api/runs/{runId}", trigger.Headers.Location?.OriginalString);
        await ScheduleHarness.WaitUntilAsync(() => h.StartedRunIds().Contains(runId), 90, "the triggered run", () => h.DescribeAsync("churn-api", "nightly"));

        var delete = await http.DeleteAsync("/api/schedules/churn-api.weekly");
        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        var missing = await http.GetAsync("/api/schedules/churn-api.weekly");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var error = (await ReadAsync(missing)).GetProperty("error");
        Assert.Equal("NOT_FOUND", error.GetProperty("code").GetString());
        Assert.Contains("churn-api.weekly", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Endpoints_BadRequests_AnswerWithTheErrorShape()
    {
        await using var h = await ScheduleHarness.StartAsync(engines: 1);
        var packager = new PipelinePackager(h.Storage, new PackageStoreOptions { ContainerName = TestNames.Unique("pkgs") });
        await using var app = await StartApiAsync(h, packager);
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        var unknownPipeline = await http.PostAsync("/api/pipelines/nothing-here/schedules/apply", Json("{}"));
        Assert.Equal(HttpStatusCode.NotFound, unknownPipeline.StatusCode);
        Assert.Equal("NOT_FOUND", (await ReadAsync(unknownPipeline)).GetProperty("error").GetProperty("code").GetString());

        var badBody = await http.PostAsync("/api/pipelines/nothing-here/schedules/apply", Json("{\"version\": 3}"));
        Assert.Equal(HttpStatusCode.BadRequest, badBody.StatusCode);
        var error = (await ReadAsync(badBody)).GetProperty("error");
        Assert.Equal("INVALID_ARGUMENT", error.GetProperty("code").GetString());
        Assert.Equal("'version' must be a string", error.GetProperty("message").GetString());

        foreach (var (method, path) in new[] { ("POST", "pause"), ("POST", "resume"), ("POST", "trigger") })
        {
            var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), $"/api/schedules/no.such/{path}"));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await http.DeleteAsync("/api/schedules/not-an-id")).StatusCode);
        Assert.Empty((await ReadAsync(await http.GetAsync("/api/schedules?pipeline=nothing-here"))).GetProperty("schedules").EnumerateArray());
    }

    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    private static async Task<WebApplication> StartApiAsync(ScheduleHarness h, PipelinePackager packager)
    {
        for (var attempt = 1; ; attempt++)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls($"http://127.0.0.1:{LoopbackPorts.GetFree()}");
            builder.Logging.ClearProviders();
            builder.Services.AddSingleton(h.Storage);
            builder.Services.AddSingleton(h.Client);
            builder.Services.AddSingleton(h.Options);
            builder.Services.AddSingleton(packager);
            builder.Services.AddSchedules();
            var app = builder.Build();
            app.MapSchedulesApi();
            try
            {
                await app.StartAsync();
                return app;
            }
            catch (IOException) when (attempt < 3)
            {
                await app.DisposeAsync();
            }
        }
    }
}
