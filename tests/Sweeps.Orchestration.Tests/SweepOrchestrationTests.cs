using Serverless.Orchestration;
using Serverless.Pipelines.Execution;
using Serverless.Testing;

namespace Serverless.Sweeps.Orchestration.Tests;

public sealed class SweepOrchestrationTests : IAsyncLifetime
{
    private SweepHarness _h = null!;

    public async Task InitializeAsync() => _h = await SweepHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task RandomSweep_RunsCapTrials_ReturnsBestTrialsOutputsAndHonoursConcurrency()
    {
        const string sweep = """
            method: random
            seed: 11
            metric: { name: loss, goal: minimize }
            parameters:
              x: { min: 0.0, max: 1.0 }
              y: { values: [1, 2, 3] }
            run_cap: 6
            limits: { max_concurrent_trials: 2 }
            """;
        var id = TestNames.Unique("random");

        await _h.StartAsync(ToyPipeline.Input(sweep, "run1", _h.TrackingContext()), id);
        var done = await _h.WaitAsync(id);

        Assert.Equal(OrchestrationStatus.Completed, done.RuntimeStatus);
        var result = done.ReadOutputAs<StepExecutionResult>()!;
        var status = (await _h.StatusAsync(id))!;
        Assert.Equal("Succeeded", status.Status);
        Assert.Equal(6, status.Trials.Count);
        Assert.All(status.Trials, t => Assert.Equal(SweepTrialStatus.Succeeded, t.Status));

        // Each trial's value is the toy objective of its own parameters at its last step.
        foreach (var t in status.Trials)
        {
            Assert.Equal(ToyPipeline.Loss(Json.Number(t.Params["x"]), (long)Json.Number(t.Params["y"]), 1.0, 5), t.Value!.Value, 9);
            Assert.Equal(6, t.Step);
        }

        // Best first, and the step's output is the best trial's.
        Assert.Equal(status.Trials.Select(t => t.Value).Order(), status.Trials.Select(t => t.Value));
        Assert.True(result.Succeeded);
        Assert.Equal("train", result.Key.ToString());
        Assert.Equal(status.Trials[0].Value, result.Values["loss"].AsNumber());
        Assert.Equal(status.Trials[0].Number, status.Best!.Number);

        // At most two trial sub-orchestrations overlapped in time.
        var spans = new List<(DateTime Start, DateTime End)>();
        for (var n = 0; n < 6; n++)
        {
            var trial = (await _h.Client.GetInstanceAsync(SweepEvents.TrialInstanceId(id, n)))!;
            spans.Add((trial.CreatedAt, trial.CompletedAt!.Value));
        }

        var maxOverlap = spans.Max(s => spans.Count(o => o.Start <= s.Start && o.End > s.Start));
        Assert.InRange(maxOverlap, 1, 2);
        Assert.Null(await _h.Client.GetInstanceAsync(SweepEvents.TrialInstanceId(id, 6)));
    }

    [Fact]
    public async Task RandomSweep_TracksSweepRunWithChildTrialRunsAndBestParams()
    {
        const string sweep = """
            method: random
            seed: 5
            metric: { name: loss, goal: minimize }
            parameters:
              x: { min: 0.0, max: 1.0 }
            run_cap: 3
            limits: { max_concurrent_trials: 3 }
            """;
        var id = TestNames.Unique("tracked");
        var stepRun = await _h.Tracking.CreateRunAsync(_h.ExperimentId, "train");

        await _h.StartAsync(ToyPipeline.Input(sweep, "run2", _h.TrackingContext(stepRun.Info.RunId)), id);
        await _h.WaitAsync(id);

        var status = (await _h.StatusAsync(id))!;
        var children = await _h.Tracking.SearchRunsAsync([_h.ExperimentId], $"tags.`mlflow.parentRunId` = '{stepRun.Info.RunId}'", 100, null, null, null);
        Assert.Equal(3, children.Items.Count);
        Assert.All(children.Items, r => Assert.Equal("FINISHED", r.Info.Status));
        Assert.Equal(status.Trials.Select(t => t.TrackingRunId).Order(), children.Items.Select(r => r.Info.RunId).Order());
        var bestRun = children.Items.Single(r => r.Info.RunId == status.Trials[0].TrackingRunId);
        Assert.Contains(bestRun.Data!.Params!, p => p.Key == "x");
        Assert.Contains(bestRun.Data!.Tags!, t => t.Key == "serverless.sweep.status" && t.Value == "Succeeded");

        var parent = await _h.Tracking.GetRunAsync(stepRun.Info.RunId);
        Assert.Contains(parent.Data!.Params!, p => p.Key == "best.x" && double.Parse(p.Value, System.Globalization.CultureInfo.InvariantCulture) == Json.Number(status.Best!.Params["x"]));
        Assert.Contains(parent.Data!.Metrics!, m => m.Key == "best.loss" && m.Value == status.Best!.Value);
    }

    [Fact]
    public async Task GridSweep_VisitsEveryPointOnce()
    {
        const string sweep = """
            method: grid
            metric: { name: loss, goal: minimize }
            parameters:
              x: { values: [0.1, 0.3, 0.7] }
              y: { values: [1, 2] }
            limits: { max_concurrent_trials: 3 }
            """;
        var id = TestNames.Unique("grid");

        await _h.StartAsync(ToyPipeline.Input(sweep, "run3", _h.TrackingContext()), id);
        var done = await _h.WaitAsync(id);

        var status = (await _h.StatusAsync(id))!;
        Assert.Equal(6, status.Trials.Count);
        var points = status.Trials.Select(t => $"{Json.Number(t.Params["x"])}/{Json.Number(t.Params["y"])}").ToHashSet();
        Assert.Equal(6, points.Count);
        Assert.Equal(0.3, Json.Number(status.Best!.Params["x"]));
        Assert.Equal(2L, (long)Json.Number(status.Best.Params["y"]));
        Assert.Equal(ToyPipeline.Loss(0.3, 2, 1, 5), done.ReadOutputAs<StepExecutionResult>()!.Values["loss"].AsNumber(), 9);
        Assert.Contains("grid points", status.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BayesTpeSweep_ModelsAfterStartupTrialsAndImputesNothingFalse()
    {
        const string sweep = """
            method: bayes
            seed: 2
            metric: { name: loss, goal: minimize }
            parameters:
              x: { min: 0.0, max: 2.0 }
            run_cap: 14
            limits: { max_concurrent_trials: 3 }
            """;
        var id = TestNames.Unique("bayes");

        await _h.StartAsync(ToyPipeline.Input(sweep, "run4", _h.TrackingContext()), id);
        await _h.WaitAsync(id);

        var status = (await _h.StatusAsync(id))!;
        Assert.Equal(14, status.Trials.Count);
        Assert.Equal(14, status.Trials.Select(t => Json.Number(t.Params["x"])).Distinct().Count());
        Assert.InRange(Json.Number(status.Best!.Params["x"]), 0.0, 2.0);
        Assert.Equal("x", Assert.Single(status.Importance).Key);

        // The TPE trials (after 10 random start-up ones) concentrate nearer the optimum x = 0.3 than the start-up ones.
        var byNumber = status.Trials.OrderBy(t => t.Number).Select(t => Math.Abs(Json.Number(t.Params["x"]) - 0.3)).ToList();
        Assert.True(byNumber.Skip(10).Average() < byNumber.Take(10).Average(), $"model-based trials were no closer: {string.Join(", ", byNumber)}");
    }

    [Fact]
    public async Task Sweep_FailedTrialsReachTheLimit_StopsAndFailsTheStep()
    {
        const string sweep = """
            method: random
            seed: 1
            metric: { name: loss, goal: minimize }
            parameters:
              x: { min: 0.5, max: 1.0 }
            run_cap: 20
            limits: { max_concurrent_trials: 2, max_failed_trials: 3 }
            """;
        var id = TestNames.Unique("fail");
        var input = ToyPipeline.Input(sweep, "run5", _h.TrackingContext());
        input = input with { Parameters = new Dictionary<string, Pipelines.Definition.PipelineValue>(input.Parameters) { ["fail_above"] = Pipelines.Definition.PipelineValue.FromNumber(0.1) } };

        await _h.StartAsync(input, id);
        var done = await _h.WaitAsync(id);

        var result = done.ReadOutputAs<StepExecutionResult>()!;
        var status = (await _h.StatusAsync(id))!;
        Assert.False(result.Succeeded);
        Assert.Contains("failed (limit 3)", result.FailureReason, StringComparison.Ordinal);
        Assert.InRange(status.Trials.Count, 3, 4);
        Assert.All(status.Trials, t => Assert.Equal(SweepTrialStatus.Failed, t.Status));
        Assert.Contains("above the failure threshold", status.Trials[0].Reason, StringComparison.Ordinal);
        Assert.Equal("Failed", status.Status);
    }

    [Fact]
    public async Task Sweep_TimeBudgetSpent_CancelsRunningTrialsAndEnds()
    {
        const string sweep = """
            method: random
            metric: { name: loss, goal: minimize }
            parameters:
              x: { min: 0.0, max: 1.0 }
            run_cap: 10
            limits: { max_concurrent_trials: 2, timeout: 3s }
            """;
        var id = TestNames.Unique("budget");
        var input = ToyPipeline.Input(sweep, "run6", _h.TrackingContext());
        input = input with { Parameters = new Dictionary<string, Pipelines.Definition.PipelineValue>(input.Parameters) { ["steps"] = Pipelines.Definition.PipelineValue.FromInt(500) } };
        var started = DateTime.UtcNow;

        await _h.StartAsync(input, id);
        var done = await _h.WaitAsync(id);

        // Trials of 500 steps cannot finish in the budget; how many started before it ran out depends on load.
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(120));
        var status = (await _h.StatusAsync(id))!;
        Assert.InRange(status.Trials.Count, 0, 2);
        Assert.All(status.Trials, t => Assert.Equal(SweepTrialStatus.Cancelled, t.Status));
        Assert.Contains("time budget", status.Reason, StringComparison.Ordinal);
        Assert.False(done.ReadOutputAs<StepExecutionResult>()!.Succeeded);
    }
}
