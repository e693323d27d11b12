using System.Globalization;
using Serverless.Orchestration;
using Serverless.Pipelines.Attempts;
using Serverless.Pipelines.Definition;
using Serverless.Pipelines.Execution;
using Serverless.Pipelines.Planning;

namespace Serverless.Sweeps.Orchestration;

/// <summary>
/// The <c>Pipelines.Step.Sweep</c> orchestrator: runs trials of a swept step as sub-orchestrations up to the
/// concurrency limit, asks the sampler for new parameters as results arrive, stops losers from their logged
/// metric history, and returns the best trial's result. Replayed code: only context APIs and pure calls.
/// </summary>
internal sealed class SweepOrchestrator
{
    private static readonly Serverless.Orchestration.RetryPolicy s_activityRetry = new(3, TimeSpan.FromSeconds(1), 2.0);

    private readonly OrchestrationContext _context;
    private readonly SweepStepInput _input;
    private readonly SweepOrchestrationOptions _options;
    private readonly List<SweepTrial> _trials = [];
    private SweepStepDefinition _definition = null!;
    private IEarlyStopper? _stopper;
    private string? _sweepRunId;
    private string _status = "Running";
    private string? _reason;

    private SweepOrchestrator(OrchestrationContext context, SweepStepInput input, SweepOrchestrationOptions options)
    {
        _context = context;
        _input = input;
        _options = options;
    }

    private SweepConfig Config => _definition.Config;

    private string? MetricName => Config.Metric?.Name;

    public static Task<StepExecutionResult> RunAsync(OrchestrationContext context, SweepStepInput? input, SweepOrchestrationOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        return new SweepOrchestrator(context, input, options).RunAsync();
    }

    private async Task<StepExecutionResult> RunAsync()
    {
        var started = _context.CurrentUtcDateTime;
        var (definition, errors) = SweepStepDefinition.Load(_input);
        if (definition is null)
        {
            return Failed(started, "invalid sweep: " + string.Join(Environment.NewLine, errors));
        }

        _definition = definition;
        _stopper = EarlyStoppers.Create(Config);
        var ownRun = false;
        if (_input.Base.Tracking is { } tracking)
        {
            _sweepRunId = tracking.RunId;
            if (_sweepRunId is null)
            {
                _sweepRunId = await TryActivityAsync<string>(
                    SweepEvents.StartSweepRunActivity, new SweepRunRequest(_context.InstanceId, tracking.ExperimentId, _input.Base.StepKey, string.Empty));
                ownRun = _sweepRunId is not null;
            }
        }

        using var timers = new CancellationTokenSource();
        var cancelEvent = _context.WaitForExternalEvent<object>(StepAttempts.CancelEvent, null, timers.Token);
        var stopEvent = _context.WaitForExternalEvent<SweepStopRequest>(SweepEvents.Stop, null, timers.Token);
        Task<object?>? pauseEvent = _context.WaitForExternalEvent<object>(SweepEvents.Pause, null, timers.Token);
        Task<object?>? resumeEvent = null;
        Task? progressTimer = null;
        var deadline = Config.Limits.Timeout is { } timeout ? _context.CreateTimer(started + timeout, timers.Token) : null;
        bool cancelled = false, stopping = false, timedOut = false, exhausted = false;
        PublishStatus();

        while (true)
        {
            var paused = resumeEvent is not null;
            var elapsed = _context.CurrentUtcDateTime - started;
            if (!paused && !stopping && !cancelled && !timedOut && !exhausted)
            {
                var count = SweepBudget.TrialsToStart(Config, State(), elapsed, _options.DefaultConcurrency);
                if (count > 0)
                {
                    var suggestions = await _context.CallActivityAsync<List<Dictionary<string, string>>>(
                        SweepEvents.SuggestActivity,
                        new SuggestRequest(_input, _trials.Select(t => new EncodedTrial(t.Number, t.Encoded, t.ToRecord().Status, t.ToRecord().Value)).ToList(), count),
                        TaskOptions.WithRetry(s_activityRetry)) ?? [];
                    exhausted = suggestions.Count == 0;
                    foreach (var suggestion in suggestions)
                    {
                        await StartTrialAsync(suggestion);
                    }

                    PublishStatus();
                    continue;
                }
            }

            var running = _trials.Where(t => t.Status == SweepTrialStatus.Running).ToList();
            if (running.Count == 0 && (!paused || stopping || cancelled || timedOut))
            {
                break;
            }

            var waits = new List<Task>(running.Select(t => t.Attempt!));
            if (!cancelled)
            {
                waits.Add(cancelEvent);
            }

            waits.Add(stopEvent);
            waits.Add(resumeEvent ?? pauseEvent!);
            if (_stopper is not null && MetricName is not null && running.Any(t => t.RunId is not null && !t.IsStopping))
            {
                progressTimer ??= _context.CreateTimer(_options.ProgressInterval, timers.Token);
                waits.Add(progressTimer);
            }

            if (deadline is not null && !timedOut)
            {
                waits.Add(deadline);
            }

            var done = await Task.WhenAny(waits);
            if (ReferenceEquals(done, cancelEvent))
            {
                cancelled = true;
                _reason = "the pipeline run was cancelled";
                CancelRunning(_reason);
            }
            else if (ReferenceEquals(done, stopEvent))
            {
                var request = stopEvent.Result ?? new SweepStopRequest();
                stopping = true;
                _reason ??= "the sweep was stopped";
                if (request.CancelRunning)
                {
                    CancelRunning("the sweep was stopped");
                }

                stopEvent = _context.WaitForExternalEvent<SweepStopRequest>(SweepEvents.Stop, null, timers.Token);
            }
            else if (ReferenceEquals(done, pauseEvent))
            {
                pauseEvent = null;
                resumeEvent = _context.WaitForExternalEvent<object>(SweepEvents.Resume, null, timers.Token);
                _status = "Paused";
            }
            else if (ReferenceEquals(done, resumeEvent))
            {
                resumeEvent = null;
                pauseEvent = _context.WaitForExternalEvent<object>(SweepEvents.Pause, null, timers.Token);
                _status = "Running";
            }
            else if (ReferenceEquals(done, deadline))
            {
                timedOut = true;
                _reason ??= $"the time budget of {Config.Limits.Timeout} is spent";
                CancelRunning(_reason);
            }
            else if (ReferenceEquals(done, progressTimer))
            {
                progressTimer = null;
                await CheckProgressAsync();
            }
            else
            {
                await FinishTrialAsync(running.First(t => ReferenceEquals(t.Attempt, done)));
            }

            if (stopping && !cancelled && _status != "Paused")
            {
                _status = "Stopping";
            }

            PublishStatus();
        }

        timers.Cancel();
        return await CompleteAsync(started, cancelled, stopping, ownRun);
    }

    private async Task StartTrialAsync(Dictionary<string, string> encoded)
    {
        var number = _trials.Count;
        var trial = new SweepTrial
        {
            Number = number,
            Parameters = ParameterCodec.Decode(encoded),
            Encoded = encoded,
            InstanceId = SweepEvents.TrialInstanceId(_context.InstanceId, number),
        };
        _trials.Add(trial);
        TrackingContext? tracking = null;
        if (_input.Base.Tracking is { } baseTracking)
        {
            trial.RunId = await TryActivityAsync<string>(
                SweepEvents.StartTrialRunActivity,
                new TrialRunRequest(trial.InstanceId, number, baseTracking.ExperimentId, _sweepRunId, _input.Base.StepKey, encoded));
            tracking = baseTracking with { RunId = trial.RunId };
        }

        StepAttemptInput attempt;
        try
        {
            attempt = _definition.TrialAttempt(trial.Parameters, number, tracking);
        }
        catch (InvalidOperationException ex)
        {
            trial.Status = SweepTrialStatus.Failed;
            trial.Reason = ex.Message;
            await FinishTrialRunAsync(trial);
            return;
        }

        trial.Attempt = _context.CallSubOrchestratorAsync<StepExecutionResult>(
            StepAttempts.OrchestrationFor(attempt.Compute.Target), attempt, new TaskOptions { InstanceId = trial.InstanceId });
    }

    private void CancelRunning(string reason)
    {
        foreach (var trial in _trials.Where(t => t.Status == SweepTrialStatus.Running && t.CancelReason is null))
        {
            trial.CancelReason = reason;
            _context.SendEvent(trial.InstanceId, StepAttempts.CancelEvent);
        }
    }

    private async Task CheckProgressAsync()
    {
        var targets = _trials.Where(t => t.Status == SweepTrialStatus.Running && t.RunId is not null && !t.IsStopping).ToList();
        if (targets.Count == 0 || _stopper is null)
        {
            return;
        }

        await ReadHistoriesAsync(targets);
        var all = _trials.Where(t => t.Status != SweepTrialStatus.Cancelled).Select(t => t.ToProgress()).ToList();
        foreach (var trial in targets)
        {
            var decision = _stopper.Evaluate(all, trial.ToProgress());
            if (decision.ShouldStop)
            {
                trial.StopReason = decision.Reason;
                _context.SendEvent(trial.InstanceId, StepAttempts.CancelEvent);
            }
        }
    }

    private async Task ReadHistoriesAsync(IReadOnlyList<SweepTrial> trials)
    {
        if (MetricName is null)
        {
            return;
        }

        var request = new ProgressRequest(MetricName, trials.Where(t => t.RunId is not null).Select(t => new ProgressTarget(t.Number, t.RunId!)).ToList());
        if (request.Trials.Count == 0)
        {
            return;
        }

        var histories = await TryActivityAsync<List<TrialHistory>>(SweepEvents.ReadProgressActivity, request) ?? [];
        foreach (var history in histories)
        {
            _trials[history.Number].History = history.Points.Select(p => new MetricPoint(p.Step, p.Value)).ToList();
        }
    }

    private async Task FinishTrialAsync(SweepTrial trial)
    {
        string? failure = null;
        try
        {
            trial.Result = await trial.Attempt!;
        }
        catch (TaskFailedException ex)
        {
            failure = ex.Failure.Message;
        }

        await ReadHistoriesAsync([trial]);
        var last = trial.History.Count > 0 ? trial.History[^1].Value : (double?)null;
        var output = MetricName is not null && trial.Result?.Values.TryGetValue(MetricName, out var v) == true
            && v.Type is PipelineType.Number or PipelineType.Int ? v.AsNumber() : (double?)null;
        if (trial.Result?.Succeeded == true)
        {
            trial.Value = output ?? last;
            if (MetricName is not null && trial.Value is null)
            {
                trial.Status = SweepTrialStatus.Failed;
                trial.Reason = $"the trial succeeded but reported no '{MetricName}' (neither as an output value nor as a logged metric)";
            }
            else
            {
                trial.Status = SweepTrialStatus.Succeeded;
            }
        }
        else if (trial.StopReason is not null)
        {
            trial.Status = SweepTrialStatus.Stopped;
            trial.Value = last;
            trial.Reason = trial.StopReason;
        }
        else if (trial.CancelReason is not null)
        {
            trial.Status = SweepTrialStatus.Cancelled;
            trial.Value = last;
            trial.Reason = trial.CancelReason;
        }
        else
        {
            trial.Status = SweepTrialStatus.Failed;
            trial.Reason = failure ?? trial.Result?.FailureReason ?? "the trial failed";
        }

        await FinishTrialRunAsync(trial);
    }

    private async Task FinishTrialRunAsync(SweepTrial trial)
    {
        if (trial.RunId is null)
        {
            return;
        }

        var status = trial.Status switch
        {
            SweepTrialStatus.Succeeded => "FINISHED",
            SweepTrialStatus.Failed => "FAILED",
            _ => "KILLED",
        };
        await TryActivityAsync<bool>(
            SweepEvents.FinishTrialRunActivity,
            new FinishTrialRunRequest(trial.RunId, status, trial.Status.ToString(), trial.Reason, MetricName ?? string.Empty, trial.Value));
    }

    private async Task<StepExecutionResult> CompleteAsync(DateTime started, bool cancelled, bool stopping, bool ownRun)
    {
        var best = BestTrial();
        _reason ??= SweepBudget.CompletionReason(Config, State(), _context.CurrentUtcDateTime - started) ?? "every trial has run";
        _status = cancelled ? "Cancelled" : best is null ? "Failed" : stopping ? "Stopped" : "Succeeded";
        if (_sweepRunId is not null)
        {
            await TryActivityAsync<bool>(
                SweepEvents.FinishSweepRunActivity,
                new FinishSweepRunRequest(_sweepRunId, MetricName, best?.Number, best?.Value, best?.Encoded ?? [], _status is "Stopped" ? "Succeeded" : _status, ownRun));
        }

        PublishStatus();
        var duration = _context.CurrentUtcDateTime - started;
        if (cancelled)
        {
            return new StepExecutionResult
            {
                Key = _input.Base.Key,
                Attempt = _input.Base.Attempt,
                Succeeded = false,
                FailureKind = FailureKind.Cancelled,
                FailureReason = _reason,
                StartedAt = started,
                Duration = duration,
            };
        }

        if (best is null)
        {
            return Failed(started, $"no trial succeeded ({Summary()}); {_reason}");
        }

        return best.Result! with { Key = _input.Base.Key, Attempt = _input.Base.Attempt, StartedAt = started, Duration = duration };
    }

    /// <summary>The best trial that ran to the end; without a metric, the first that succeeded.</summary>
    private SweepTrial? BestTrial()
    {
        var succeeded = _trials.Where(t => t.Status == SweepTrialStatus.Succeeded && t.Result is not null).ToList();
        if (Config.Metric is not { } metric)
        {
            return succeeded.FirstOrDefault();
        }

        var record = SweepResults.Best(succeeded.Select(t => t.ToRecord()), metric.Goal);
        return record is null ? null : _trials[record.Number];
    }

    private string Summary()
    {
        var counts = _trials.GroupBy(t => t.Status).OrderBy(g => g.Key)
            .Select(g => $"{g.Count().ToString(CultureInfo.InvariantCulture)} {g.Key.ToString().ToLowerInvariant()}");
        return _trials.Count == 0 ? "no trial started" : string.Join(", ", counts);
    }

    private StepExecutionResult Failed(DateTime started, string reason)
    {
        _status = "Failed";
        _reason = reason;
        return new StepExecutionResult
        {
            Key = _input.Base.Key,
            Attempt = _input.Base.Attempt,
            Succeeded = false,
            FailureKind = FailureKind.Failed,
            FailureReason = reason,
            StartedAt = started,
            Duration = _context.CurrentUtcDateTime - started,
        };
    }

    private SweepState State() => new(_trials.Select(t => t.ToRecord()));

    private void PublishStatus() => _context.SetCustomStatus(SweepStatusBuilder.Build(Config, _trials, _status, _reason));

    /// <summary>Tracking is a record of the sweep, not a condition of it: a tracking outage does not fail trials.</summary>
    private async Task<T?> TryActivityAsync<T>(string name, object input)
    {
        try
        {
            return await _context.CallActivityAsync<T>(name, input, TaskOptions.WithRetry(s_activityRetry));
        }
        catch (TaskFailedException)
        {
            return default;
        }
    }
}
