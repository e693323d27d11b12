using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Pipelines.Attempts;
using Serverless.Pipelines.Definition;
using Serverless.Testing;

namespace Serverless.Sweeps.Orchestration.Tests;

public sealed class SweepsEndpointsTests : IAsyncLifetime
{
    private SweepHarness _h = null!;
    private WebApplication _app = null!;
    private Uri _base = null!;

    public async Task InitializeAsync()
    {
        _h = await SweepHarness.StartAsync();
        var builder = WebApplication.CreateSlimBuilder();
        var port = LoopbackPorts.GetFree();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Services.AddSingleton(_h.Client);
        _app = builder.Build();
        _app.MapSweepsApi();
        await _app.StartAsync();
        _base = new Uri($"http://127.0.0.1:{port}");
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _h.DisposeAsync();
    }

    [Fact]
    public async Task GetSweep_FinishedSweep_ReturnsLeaderboardBestFirstWithImportance_AndStopIsConflict()
    {
        const string sweep = """
            method: grid
            metric: { name: loss, goal: minimize }
            parameters:
              x: { values: [0.9, 0.3, 0.6] }
              y: { values: [1, 2] }
            limits: { max_concurrent_trials: 3 }
            """;
        var runId = TestNames.Unique("httprun");
        var input = ToyPipeline.Input(sweep, runId, _h.TrackingContext());
        input = input with { Parameters = new Dictionary<string, PipelineValue>(input.Parameters) { ["steps"] = PipelineValue.FromInt(3) } };
        var id = StepAttempts.InstanceId(runId, "train", 1);
        await _h.StartAsync(input, id);
        await _h.WaitAsync(id);
        using var http = new HttpClient { BaseAddress = _base };

        using var response = await http.GetAsync($"/api/runs/{runId}/steps/train/sweep");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = body.RootElement;
        Assert.Equal("grid", root.GetProperty("method").GetString());
        Assert.Equal("loss", root.GetProperty("metric").GetProperty("name").GetString());
        Assert.Equal("minimize", root.GetProperty("metric").GetProperty("goal").GetString());
        Assert.Equal("Succeeded", root.GetProperty("status").GetString());
        var trials = root.GetProperty("trials").EnumerateArray().ToList();
        Assert.Equal(6, trials.Count);
        var values = trials.Select(t => t.GetProperty("value").GetDouble()).ToList();
        Assert.Equal(values.Order(), values);
        Assert.All(trials, t => Assert.Equal("Succeeded", t.GetProperty("status").GetString()));
        Assert.All(trials, t => Assert.Equal(3, t.GetProperty("step").GetInt32()));
        Assert.Equal(0.3, root.GetProperty("best").GetProperty("params").GetProperty("x").GetDouble());
        Assert.Equal(values[0], root.GetProperty("best").GetProperty("value").GetDouble());
        var importance = root.GetProperty("importance");
        Assert.True(importance.GetProperty("x").GetDouble() > importance.GetProperty("y").GetDouble());

        using var stop = await http.PostAsJsonAsync($"/api/runs/{runId}/steps/train/sweep/stop", new { cancelRunning = true });
        Assert.Equal(HttpStatusCode.Conflict, stop.StatusCode);
        Assert.Equal("CONFLICT", JsonDocument.Parse(await stop.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task StopOverHttp_CancelRunning_StopsTheSweep_AndUnknownStepIs404()
    {
        const string sweep = """
            method: random
            metric: { name: loss, goal: minimize }
            parameters:
              x: { min: 0.0, max: 1.0 }
            run_cap: 6
            limits: { max_concurrent_trials: 2 }
            """;
        var runId = TestNames.Unique("httpstop");
        var input = ToyPipeline.Input(sweep, runId, _h.TrackingContext());
        input = input with { Parameters = new Dictionary<string, PipelineValue>(input.Parameters) { ["steps"] = PipelineValue.FromInt(400) } };
        var id = StepAttempts.InstanceId(runId, "train", 1);
        await _h.StartAsync(input, id);
        await _h.WaitForStatusAsync(id, s => s.Trials.Count(t => t.Status == SweepTrialStatus.Running) == 2);
        using var http = new HttpClient { BaseAddress = _base };

        using var stop = await http.PostAsJsonAsync($"/api/runs/{runId}/steps/train/sweep/stop", new { cancelRunning = true });
        Assert.Equal(HttpStatusCode.Accepted, stop.StatusCode);
        await _h.WaitAsync(id);

        var status = (await _h.StatusAsync(id))!;
        Assert.Equal("Failed", status.Status);
        Assert.All(status.Trials, t => Assert.Equal(SweepTrialStatus.Cancelled, t.Status));
        Assert.Equal("the sweep was stopped", status.Reason);

        using var missing = await http.GetAsync($"/api/runs/{runId}/steps/evaluate/sweep");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("NOT_FOUND", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
