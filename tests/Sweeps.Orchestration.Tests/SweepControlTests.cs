using Serverless.Orchestration;
using Serverless.Pipelines.Attempts;
using Serverless.Pipelines.Definition;
using Serverless.Pipelines.Execution;
using Serverless.Pipelines.Planning;
using Serverless.Testing;

namespace Serverless.Sweeps.Orchestration.Tests;

public sealed class SweepControlTests : IAsyncLifetime
{
    private const string LongTrials = """
        method: random
        seed: 4
        metric: { name: loss, goal: minimize }
        parameters:
          x: { min: 0.0, max: 1.0 }
        run_cap: 4
        limits: { max_concurrent_trials: 2 }
        """;

    private SweepHarness _h = null!;

    // Stops reach trials on the sweep's periodic check; trials here must outlive a few checks (14 steps of 100 ms
    // against a 250 ms check), or a quiet machine finishes them all before any stop can land.
    public async Task InitializeAsync() => _h = await SweepHarness.StartAsync(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(250));

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Hyperband_StopsLosersAtARung_StoppedTrialsRunFewerSteps()
    {
        // Grid order puts the good x values first, so later, worse trials meet a full rung and are stopped.
        const string sweep = """
            method: grid
            metric: { name: loss, goal: minimize }
            parameters:
              x: { values: [0.3, 0.35, 2.0, 2.5, 3.0, 3.5] }
            early_terminate: { type: hyperband, min_iter: 2, eta: 2 }
            limits: { max_concurrent_trials: 2 }
            """;
        var id = TestNames.Unique("asha");

        await _h.StartAsync(WithSteps(ToyPipeline.Input(sweep, "run1", _h.TrackingContext()), 14), id);
        var done = await _h.WaitAsync(id);

        var status = (await _h.StatusAsync(id))!;
        var stopped = status.Trials.Where(t => t.Status == SweepTrialStatus.Stopped).ToList();
        Assert.NotEmpty(stopped);
        // A stop is decided on the sweep's periodic check, so a fast trial can report its last step before the
        // decision reaches it (then it is recorded Stopped at step 14); at least one must have been cut short.
        Assert.Contains(stopped, t => t.Step!.Value < 14);
        Assert.All(stopped, t =>
        {
            Assert.InRange(t.Step!.Value, 3, 14);
            Assert.True(Json.Number(t.Params["x"]) >= 2.0, $"a good trial was stopped: {t.Params["x"]}");
            Assert.Contains("rung", t.Reason, StringComparison.OrdinalIgnoreCase);
        });
        Assert.All(status.Trials.Where(t => t.Status == SweepTrialStatus.Succeeded), t => Assert.Equal(14, t.Step));

        // Stopped trials ran fewer steps, and the output is a trial that ran to the end.
        var executed = _h.StepCalls.Select(c => c.Split('/')[0]).GroupBy(s => s).ToDictionary(g => g.Key, g => g.Distinct().Count());
        Assert.Equal(0.3, Json.Number(status.Best!.Params["x"]));
        Assert.True(done.ReadOutputAs<StepExecutionResult>()!.Succeeded);
        Assert.True(_h.StepCalls.Count < 6 * 14, $"ASHA saved nothing: {_h.StepCalls.Count} steps");
        Assert.NotEmpty(executed);
    }

    [Fact]
    public async Task PipelineCancelEvent_CancelsRunningTrialsAndReturnsCancelled()
    {
        var id = TestNames.Unique("cancel");
        await _h.StartAsync(WithSteps(ToyPipeline.Input(LongTrials, "run2", _h.TrackingContext()), 400), id);
        await _h.WaitForStatusAsync(id, s => s.Trials.Count(t => t.Status == SweepTrialStatus.Running) == 2);

        await _h.Client.RaiseEventAsync(id, StepAttempts.CancelEvent);
        var done = await _h.WaitAsync(id);

        var result = done.ReadOutputAs<StepExecutionResult>()!;
        Assert.Equal(FailureKind.Cancelled, result.FailureKind);
        Assert.Equal(StepStatus.Cancelled, result.ToStepResult().Status);
        var status = (await _h.StatusAsync(id))!;
        Assert.Equal("Cancelled", status.Status);
        Assert.Equal(2, status.Trials.Count);
        Assert.All(status.Trials, t => Assert.Equal(SweepTrialStatus.Cancelled, t.Status));
        for (var n = 0; n < 2; n++)
        {
            var trial = await _h.Client.GetInstanceAsync(SweepEvents.TrialInstanceId(id, n));
            Assert.Equal(OrchestrationStatus.Completed, trial!.RuntimeStatus);
            Assert.Equal(FailureKind.Cancelled, trial.ReadOutputAs<StepExecutionResult>()!.FailureKind);
        }
    }

    [Fact]
    public async Task StopEvent_LettingTrialsFinish_ReturnsBestOfTheFinishedOnes()
    {
        var id = TestNames.Unique("stop");
        await _h.StartAsync(WithSteps(ToyPipeline.Input(LongTrials, "run3", _h.TrackingContext()), 15), id);
        await _h.WaitForStatusAsync(id, s => s.Trials.Count(t => t.Status == SweepTrialStatus.Running) == 2);

        await _h.Client.RaiseEventAsync(id, SweepEvents.Stop, new SweepStopRequest(CancelRunning: false));
        var done = await _h.WaitAsync(id);

        var status = (await _h.StatusAsync(id))!;
        Assert.Equal("Stopped", status.Status);

        // Two were running when the stop was sent; a third may have started if one finished before it arrived.
        Assert.InRange(status.Trials.Count, 2, 3);
        Assert.All(status.Trials, t => Assert.Equal(SweepTrialStatus.Succeeded, t.Status));
        var result = done.ReadOutputAs<StepExecutionResult>()!;
        Assert.True(result.Succeeded);
        Assert.Equal(status.Best!.Value, result.Values["loss"].AsNumber());
    }

    [Fact]
    public async Task PauseThenResume_StartsNothingWhilePaused_ThenCompletes()
    {
        var id = TestNames.Unique("pause");
        await _h.StartAsync(WithSteps(ToyPipeline.Input(LongTrials, "run4", _h.TrackingContext()), 8), id);
        await _h.WaitForStatusAsync(id, s => s.Trials.Count == 2);

        await _h.Client.RaiseEventAsync(id, SweepEvents.Pause);
        var paused = await _h.WaitForStatusAsync(id, s => s.Status == "Paused" && s.Trials.All(t => t.Status != SweepTrialStatus.Running));
        var trialsWhenPaused = paused.Trials.Count;
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(trialsWhenPaused, (await _h.StatusAsync(id))!.Trials.Count);
        Assert.True(trialsWhenPaused < 4);

        await _h.Client.RaiseEventAsync(id, SweepEvents.Resume);
        await _h.WaitAsync(id);

        var status = (await _h.StatusAsync(id))!;
        Assert.Equal("Succeeded", status.Status);
        Assert.Equal(4, status.Trials.Count);
    }

    [Fact]
    public async Task EngineRestartMidSweep_NoTrialLostOrDuplicated()
    {
        const string sweep = """
            method: bayes
            seed: 9
            metric: { name: loss, goal: minimize }
            parameters:
              x: { min: 0.0, max: 1.0 }
              y: { values: [1, 2, 3] }
            run_cap: 8
            limits: { max_concurrent_trials: 2 }
            """;
        var id = TestNames.Unique("crash");
        var stepRun = await _h.Tracking.CreateRunAsync(_h.ExperimentId, "train");
        await _h.StartAsync(WithSteps(ToyPipeline.Input(sweep, "run5", _h.TrackingContext(stepRun.Info.RunId)), 8), id);
        await _h.WaitForStatusAsync(id, s => s.Trials.Count(t => t.Status == SweepTrialStatus.Succeeded) >= 2 && s.Trials.Any(t => t.Status == SweepTrialStatus.Running));

        await _h.RestartAsync();
        var done = await _h.WaitAsync(id);

        Assert.Equal(OrchestrationStatus.Completed, done.RuntimeStatus);
        var status = (await _h.StatusAsync(id))!;
        Assert.Equal(8, status.Trials.Count);
        Assert.All(status.Trials, t => Assert.Equal(SweepTrialStatus.Succeeded, t.Status));
        Assert.Equal(Enumerable.Range(0, 8), status.Trials.Select(t => t.Number).Order());
        Assert.Null(await _h.Client.GetInstanceAsync(SweepEvents.TrialInstanceId(id, 8)));

        // One tracking run per trial, even if a run-creating activity ran twice across the restart.
        var children = await _h.Tracking.SearchRunsAsync([_h.ExperimentId], $"tags.`mlflow.parentRunId` = '{stepRun.Info.RunId}'", 100, null, null, null);
        Assert.Equal(8, children.Items.Count);

        // Every trial ran its steps: each value is the objective at its last step.
        Assert.All(status.Trials, t => Assert.Equal(ToyPipeline.Loss(Json.Number(t.Params["x"]), (long)Json.Number(t.Params["y"]), 1, 7), t.Value!.Value, 9));
    }

    private static SweepStepInput WithSteps(SweepStepInput input, int steps) =>
        input with { Parameters = new Dictionary<string, PipelineValue>(input.Parameters) { ["steps"] = PipelineValue.FromInt(steps) } };
}
