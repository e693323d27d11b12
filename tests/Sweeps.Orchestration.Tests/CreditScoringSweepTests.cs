using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Serverless.Testing;

namespace Serverless.Sweeps.Orchestration.Tests;

/// <summary>
/// The credit-scoring sweep pipeline (pipelines/credit-scoring-sweep) end to end through the real host on
/// Azurite: real step processes on the real data, the train step swept by TPE with hyperband (ASHA) reading
/// the validation AUC the step logs through MLflow REST while it trains. Everything asserted is read back
/// from the host's tracking and pipelines APIs.
/// </summary>
public sealed class CreditScoringSweepTests
{
    // Enough rounds that a stop decided at a rung (the 3rd or 7th report) lands while the trial still has
    // stages to train: the sweep checks its trials on a 1 s durable timer, and with the pipeline's default 60
    // rounds a trial on a quiet machine finishes before a decision reaches it.
    private const int Rounds = 200;
    private const int EvalEvery = 10;
    private const int Reports = Rounds / EvalEvery;

    [Fact]
    public async Task CreditScoringSweep_RunByName_StopsSomeTrialsEarlyAndRegistersBestTrialsModel()
    {
        var scratch = Directory.CreateTempSubdirectory("cs-sweep-").FullName;
        var settings = HostSettings.Isolated(scratch);
        settings["Serverless:Pipelines:SourceRoot"] = Path.Combine(RepoPaths.Root, "pipelines");
        settings["Serverless:Sweeps:ProgressInterval"] = "00:00:01";
        await using var host = await HostProcess.StartAsync(settings);
        using var http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        var model = TestNames.Unique("credit");

        var started = await SendAsync(http, HttpMethod.Post, "/api/pipelines/credit-scoring-sweep/runs",
            new { parameters = new { model_name = model, num_trees = Rounds, eval_every = EvalEvery }, experimentName = TestNames.Unique("exp") });
        Assert.True(started.Status == HttpStatusCode.Accepted, $"start returned {started.Status}: {started.Body}");
        var runId = started.Body.GetProperty("id").GetString()!;
        var run = await WaitForRunAsync(http, host, runId, 600);
        Assert.True(run.GetProperty("status").GetString() == "Succeeded", $"run ended {run}\n{host.Output}");
        foreach (var step in new[] { "preprocess", "train", "evaluate", "gate", "register" })
        {
            Assert.Equal("Succeeded", Step(run, step).GetProperty("status").GetString());
        }

        // The leaderboard: every trial ran or was stopped, none failed.
        var sweep = (await SendAsync(http, HttpMethod.Get, $"/api/runs/{runId}/steps/train/sweep")).Body;
        Assert.Equal("Succeeded", sweep.GetProperty("status").GetString());
        var trials = sweep.GetProperty("trials").EnumerateArray().ToList();
        Assert.Equal(8, trials.Count);
        Assert.All(trials, t => Assert.True(t.GetProperty("status").GetString() is "Succeeded" or "Stopped", $"trial {t}"));

        // Each trial is a child run of the sweep run (the train step's run) with its per-round history.
        var sweepRunId = Step(run, "train").GetProperty("trackingRunId").GetString();
        var finals = new Dictionary<int, double>();
        var stopped = 0;
        var stoppedEarly = 0;
        foreach (var trial in trials)
        {
            var number = trial.GetProperty("number").GetInt32();
            var trialRunId = trial.GetProperty("trackingRunId").GetString()!;
            var trialRun = (await SendAsync(http, HttpMethod.Get, $"/api/2.0/mlflow/runs/get?run_id={trialRunId}")).Body.GetProperty("run");
            var tags = trialRun.GetProperty("data").GetProperty("tags").EnumerateArray()
                .ToDictionary(t => t.GetProperty("key").GetString()!, t => t.GetProperty("value").GetString());
            Assert.Equal(sweepRunId, tags["mlflow.parentRunId"]);
            var history = (await SendAsync(http, HttpMethod.Get, $"/api/2.0/mlflow/metrics/get-history?run_id={trialRunId}&metric_key=val_auc")).Body
                .GetProperty("metrics").EnumerateArray()
                .Select(m => (Step: m.GetProperty("step").GetInt64(), Value: m.GetProperty("value").GetDouble()))
                .OrderBy(m => m.Step).ToList();
            Assert.NotEmpty(history);
            Assert.Equal(Enumerable.Range(1, history.Count).Select(i => (long)EvalEvery * i), history.Select(h => h.Step));
            Assert.All(history, h => Assert.InRange(h.Value, 0.5, 1.0));
            if (trial.GetProperty("status").GetString() == "Stopped")
            {
                stopped++;
                Assert.Equal("Stopped", tags["serverless.sweep.status"]);
                Assert.Equal("KILLED", trialRun.GetProperty("info").GetProperty("status").GetString());
                // The rule can also decide between the last report and the process's exit; only a stop with
                // rounds left saved compute.
                if (history.Count < Reports)
                {
                    stoppedEarly++;
                }
            }
            else
            {
                Assert.Equal(Reports, history.Count);
                Assert.Equal("FINISHED", trialRun.GetProperty("info").GetProperty("status").GetString());
                Assert.Equal(history[^1].Value, trial.GetProperty("value").GetDouble(), 4);
                finals[number] = trial.GetProperty("value").GetDouble();
            }
        }

        Assert.True(stoppedEarly >= 1, $"ASHA stopped no trial before its last round ({stopped} stopped): {sweep}");
        Assert.NotEmpty(finals);

        // The best trial is the completed one with the highest final validation AUC, and its model is what
        // evaluate scored and register registered.
        var bestNumber = finals.MaxBy(f => f.Value).Key;
        Assert.Equal(bestNumber, sweep.GetProperty("best").GetProperty("number").GetInt32());
        var trainOutputs = Step(run, "train").GetProperty("outputs");
        Assert.Equal(finals[bestNumber], double.Parse(trainOutputs.GetProperty("val_auc").GetString()!, CultureInfo.InvariantCulture), 9);

        var evaluateAuc = double.Parse(Step(run, "evaluate").GetProperty("outputs").GetProperty("auc").GetString()!, CultureInfo.InvariantCulture);
        Assert.InRange(evaluateAuc, 0.7, 1.0);
        var alias = await SendAsync(http, HttpMethod.Get, $"/api/2.0/mlflow/registered-models/alias?name={model}&alias=champion");
        Assert.Equal(HttpStatusCode.OK, alias.Status);
        var version = alias.Body.GetProperty("model_version");
        Assert.Equal(Step(run, "register").GetProperty("outputs").GetProperty("version").GetString(), version.GetProperty("version").GetString());
        var tagAuc = version.GetProperty("tags").EnumerateArray().Single(t => t.GetProperty("key").GetString() == "auc").GetProperty("value").GetString();
        Assert.Equal(evaluateAuc, double.Parse(tagAuc!, CultureInfo.InvariantCulture), 6);

        try
        {
            Directory.Delete(scratch, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static JsonElement Step(JsonElement run, string key) =>
        run.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("key").GetString() == key);

    private static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpClient http, HttpMethod method, string path, object? json = null)
    {
        using var request = new HttpRequestMessage(method, path)
        {
            Content = json is null ? null : new StringContent(JsonSerializer.Serialize(json), Encoding.UTF8, "application/json"),
        };
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, string.IsNullOrEmpty(text) ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private static async Task<JsonElement> WaitForRunAsync(HttpClient http, HostProcess host, string runId, int timeoutSeconds)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        JsonElement run = default;
        while (DateTime.UtcNow < deadline)
        {
            run = (await SendAsync(http, HttpMethod.Get, $"/api/runs/{runId}")).Body;
            if (run.GetProperty("status").GetString() is "Succeeded" or "Failed" or "Cancelled")
            {
                return run;
            }

            await Task.Delay(500);
        }

        throw new TimeoutException($"run {runId} did not finish in {timeoutSeconds} s: {run}\n{host.Output}");
    }
}
