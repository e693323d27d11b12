using System.Globalization;
using Serverless.Orchestration;
using Serverless.Pipelines.Attempts;
using Serverless.Pipelines.Definition;
using Serverless.Pipelines.Execution;
using Serverless.Pipelines.Parsing;
using Serverless.Pipelines.Planning;

namespace Serverless.Pipelines.Orchestration;

/// <summary>
/// The durable form of <see cref="Running.LocalPipelineRunner"/>: plan → begin (cache lookup, child tracking run)
/// → start attempts as sub-orchestrations → race them against the cancel event → retry with durable timers →
/// record → until the planner says the run is finished. Replayed from history, so everything here is either a
/// context API or pure code; one instance of this class lives for one replay.
/// </summary>
internal sealed partial class PipelineRunOrchestrator
{
    private readonly OrchestrationContext _context;
    private readonly PipelineRunInput _input;
    private readonly PreparedRun _prepared;
    private readonly PipelineDefinition _definition;
    private readonly PipelinePlanner _planner;
    private readonly Dictionary<StepKey, RunningStep> _running = [];
    private readonly Dictionary<StepKey, StepProgress> _progress = [];
    private readonly List<Task> _pendingWrites = [];
    private readonly List<StepFinishedRequest> _unsentFinishes = [];
    private readonly Dictionary<StepKey, ComputeSpec> _startedCompute = [];
    private RunState _state = RunState.Empty;

    private PipelineRunOrchestrator(OrchestrationContext context, PipelineRunInput input, PreparedRun prepared, PipelineDefinition definition)
    {
        _definition = definition;
        _planner = new PipelinePlanner(definition, input.Parameters);
        _context = context;
        _input = input;
        _prepared = prepared;
    }

    /// <summary>The orchestrator function registered as <see cref="PipelineRunNames.RunOrchestration"/>.</summary>
    public static async Task<PipelineRunOutput> RunAsync(OrchestrationContext context, PipelineRunInput? input)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (input is null)
        {
            throw new ArgumentException("the run needs a PipelineRunInput");
        }

        var prepared = await context.CallActivityAsync<PreparedRun>(PipelineRunNames.Prepare, new PrepareRunRequest(
            input.RunId, input.Pipeline, input.Version, input.Parameters, input.ExperimentName, input.RerunOf))
            ?? throw new InvalidOperationException("the prepare activity returned nothing");
        var parsed = PipelineParser.Parse(prepared.DefinitionYaml, prepared.DefinitionFile);
        if (!parsed.IsValid)
        {
            // Published packages are validated, so this means the package store was tampered with.
            var reason = string.Join("; ", parsed.Diagnostics.Select(d => d.ToString()));
            await context.CallActivityAsync(PipelineRunNames.Finish, new FinishRunRequest(prepared.TrackingRunId, RunOutcome.Failed));
            return new PipelineRunOutput { Outcome = RunOutcome.Failed, Reason = reason };
        }

        return await new PipelineRunOrchestrator(context, input, prepared, parsed.Definition!).LoopAsync();
    }

    private async Task<PipelineRunOutput> LoopAsync()
    {
        foreach (var (key, result) in _input.Reuse)
        {
            var reused = result with { Reason = $"reused from run {_input.RerunOf}" };
            _state = _state.WithResult(StepKey.Parse(key), reused.Status == StepStatus.Succeeded ? reused with { Status = StepStatus.Cached } : reused);
        }

        var cancelEvent = _context.WaitForExternalEvent<object>(PipelineRunNames.CancelEvent);
        PipelinePlan plan;
        while (true)
        {
            plan = _planner.Plan(_state);
            if (plan.IsFinished)
            {
                break;
            }

            await BeginReadyStepsAsync(plan.Ready);
            SendUnsentFinishes();
            PublishStatus();
            if (_running.Count == 0)
            {
                if (plan.Ready.Count == 0)
                {
                    return await FinishAsync(RunOutcome.Failed, "the planner has nothing to start and nothing running, but the run is not finished");
                }

                // Only cache hits were decided this round; plan again.
                continue;
            }

            var waitingOn = _running.Values.Select(r => (Task)r.Task).ToList();
            if (!_state.CancelRequested)
            {
                waitingOn.Add(cancelEvent);
            }

            var done = await Task.WhenAny(waitingOn);
            if (done == cancelEvent)
            {
                RequestCancel();
                continue;
            }

            var (stepKey, entry) = _running.First(kv => kv.Value.Task == done);
            var result = await entry.Task;
            _running.Remove(stepKey);
            if (entry.Hit is { } hit)
            {
                RecordHit(entry.Step, hit);
                continue;
            }

            if (!result.Succeeded && !_state.CancelRequested)
            {
                var decision = RetryDecider.Decide(entry.Step.Definition.Retries, entry.Attempt, result.FailureKind ?? FailureKind.Failed);
                if (decision.Retry)
                {
                    _running[stepKey] = StartAttempt(entry.Step, decision.NextAttempt, entry.TrackingRunId, entry.CacheKey, decision.Delay);
                    _progress[stepKey] = _progress[stepKey] with
                    {
                        Attempt = decision.NextAttempt,
                        Reason = $"attempt {entry.Attempt} failed ({result.FailureReason}); attempt {decision.NextAttempt} in {decision.Delay.TotalSeconds:0.#} s",
                    };
                    PublishStatus();
                    continue;
                }
            }

            Record(stepKey, entry, result);
        }

        var reason = plan.Outcome == RunOutcome.Succeeded
            ? null
            : string.Join("; ", plan.States.Where(s => s.Key.Iteration is null && s.Status is StepStatus.Failed or StepStatus.Cancelled)
                .Select(s => $"{s.Key}: {s.Reason ?? s.Status.ToString()}"));
        return await FinishAsync(plan.Outcome, string.IsNullOrEmpty(reason) ? null : reason);
    }

    private async Task BeginReadyStepsAsync(IReadOnlyList<ReadyStep> ready)
    {
        if (ready.Count == 0)
        {
            return;
        }

        // Cache lookups and child tracking runs of every ready step go out together: one round trip, not one each.
        // The first also closes the steps that finished since the last round (their tracking runs, cache entries).
        // A local step's begin rides in the activity that runs it (revision 1), so it costs no round trip of its own.
        var finished = TakeUnsentFinishes();
        var folded = _input.Revision >= 1 ? ready.Where(IsDirect).ToList() : [];
        var separate = ready.Where(s => !folded.Contains(s)).ToList();
        foreach (var step in folded)
        {
            // The child run's id is derived, so the attempt's MLflow environment and the progress can name it before
            // the begin has created it.
            var trackingRunId = _prepared.TrackingRunId is null ? null : StepTrackingRuns.IdFor(_input.RunId, step.Key.ToString());
            var request = BeginRequest(step, finished, trackingRunId);
            finished = null;
            var entry = new RunningStep(step, 1, trackingRunId, null) { Begin = request };
            entry.Task = RunAttemptAsync(entry, request.Attempt, TimeSpan.Zero);
            MarkStarted(step, entry);
        }

        var begins = separate.Select((step, i) => _context.CallActivityAsync<BeginStepResult>(PipelineRunNames.BeginStep,
            BeginRequest(step, i == 0 ? finished : null, null))).ToList();
        await Task.WhenAll(begins);
        for (var i = 0; i < separate.Count; i++)
        {
            var step = separate[i];
            var begin = await begins[i] ?? new BeginStepResult(null, null, null);
            if (begin.Hit is { } hit)
            {
                RecordHit(step, hit);
                continue;
            }

            MarkStarted(step, StartAttempt(step, 1, begin.TrackingRunId, begin.CacheKey, TimeSpan.Zero));
        }
    }

    private BeginStepRequest BeginRequest(ReadyStep step, IReadOnlyList<StepFinishedRequest>? finished, string? trackingRunId) => new(
        AttemptInput(step, 1, trackingRunId), _prepared.CodeDigest, step.Definition.Cache && step.Definition.Sweep is null,
        _prepared.TrackingRunId, _prepared.ExperimentId, finished, SkipLookup: !_input.Cache);

    private void RequestCancel()
    {
        _state = _state with { CancelRequested = true };
        foreach (var entry in _running.Values)
        {
            entry.Backoff?.Cancel();
            if (entry.InstanceId is { } id)
            {
                CancelAttempt(entry, id);
            }
        }

        PublishStatus();
    }

    private RunningStep StartAttempt(ReadyStep step, int attempt, string? trackingRunId, string? cacheKey, TimeSpan delay)
    {
        var entry = new RunningStep(step, attempt, trackingRunId, cacheKey)
        {
            Backoff = delay > TimeSpan.Zero ? new CancellationTokenSource() : null,
        };
        entry.Task = RunAttemptAsync(entry, AttemptInput(step, attempt, trackingRunId), delay);
        return entry;
    }

    private async Task<StepExecutionResult> RunAttemptAsync(RunningStep entry, StepAttemptInput attempt, TimeSpan delay)
    {
        if (entry.Backoff is { } backoff)
        {
            try
            {
                await _context.CreateTimer(delay, backoff.Token);
            }
            catch (OperationCanceledException)
            {
            }

            if (_state.CancelRequested)
            {
                return attempt.Unsuccessful(FailureKind.Cancelled, "the run was cancelled while the step waited to be retried");
            }
        }

        var instanceId = StepAttempts.InstanceId(_input.RunId, attempt.StepKey, attempt.Attempt);
        entry.InstanceId = instanceId;
        var options = new TaskOptions { InstanceId = instanceId };
        try
        {
            if (entry.Step.Definition.Sweep is not null)
            {
                var sweep = new SweepStepInput
                {
                    Base = attempt,
                    Parameters = _input.Parameters,
                    UpstreamResults = _state.Results.ToDictionary(r => r.Key.ToString(), r => r.Value, StringComparer.Ordinal),
                    DefinitionYaml = _prepared.DefinitionYaml,
                    DefinitionFile = _prepared.DefinitionFile,
                };
                return await _context.CallSubOrchestratorAsync<StepExecutionResult>(StepAttempts.SweepOrchestration, sweep, options)
                    ?? attempt.Unsuccessful(FailureKind.Infrastructure, "the sweep returned no result");
            }

            // A local attempt is one activity: calling it directly saves the sub-orchestration's start, two episodes
            // and its completion message per step. The activity derives the same attempt id from its input.
            var call = entry.Begin is { } begin
                ? BeginAndRunLocalAsync(entry, begin)
                : IsDirect(entry)
                    ? _context.CallActivityAsync<StepExecutionResult>(PipelineRunNames.LocalStep, attempt)
                    : _context.CallSubOrchestratorAsync<StepExecutionResult>(StepAttempts.OrchestrationFor(attempt.Compute.Target), attempt, options);
            if (attempt.Timeout is { } timeout)
            {
                // The executor enforces the timeout; this guard only covers an executor that never answers.
                using var guardCancel = new CancellationTokenSource();
                var guard = _context.CreateTimer(timeout + _prepared.TimeoutGrace, guardCancel.Token);
                if (await Task.WhenAny(call, guard) == guard)
                {
                    CancelAttempt(entry, instanceId);
                    return attempt.Unsuccessful(FailureKind.TimedOut,
                        $"no result {(timeout + _prepared.TimeoutGrace).TotalSeconds:0} s after the attempt started (timeout {timeout} plus grace)");
                }

                guardCancel.Cancel();
            }

            return await call ?? attempt.Unsuccessful(FailureKind.Infrastructure, "the attempt returned no result");
        }
        catch (TaskFailedException ex)
        {
            if (entry.Begin is not null)
            {
                // The folded begin itself failed, so the derived child run may not exist: a retry runs untracked
                // rather than point its MLflow client at a missing run.
                entry.TrackingRunId = null;
            }

            return attempt.Unsuccessful(FailureKind.Infrastructure, $"{ex.Failure.ErrorType}: {ex.Failure.Message}");
        }
    }

    private async Task<StepExecutionResult?> BeginAndRunLocalAsync(RunningStep entry, BeginStepRequest request)
    {
        var outcome = await _context.CallActivityAsync<BeginLocalStepResult>(PipelineRunNames.BeginLocalStep, request);
        entry.TrackingRunId = outcome is null ? entry.TrackingRunId : outcome.Begin.TrackingRunId;
        entry.CacheKey = outcome?.Begin.CacheKey;
        entry.Hit = outcome?.Begin.Hit;
        return entry.Hit is not null
            ? new StepExecutionResult { Key = request.Attempt.Key, Attempt = 1, Succeeded = true }
            : outcome?.Result;
    }

    private async Task<PipelineRunOutput> FinishAsync(RunOutcome outcome, string? reason)
    {
        // The last steps' close-out travels with the run's own; compute targets clean up at the same time.
        var writes = new List<Task>(_pendingWrites)
        {
            _context.CallActivityAsync(PipelineRunNames.Finish, new FinishRunRequest(_prepared.TrackingRunId, outcome, TakeUnsentFinishes())),
        };
        foreach (var (target, activity) in _prepared.RunEndActivities.OrderBy(a => a.Key))
        {
            var steps = _startedCompute.Where(s => s.Value.Target == target).OrderBy(s => s.Key.ToString(), StringComparer.Ordinal).Select(s => s.Value).ToList();
            if (steps.Count > 0)
            {
                writes.Add(RunEndAsync(activity, new ComputeRunEnd(_input.RunId, outcome, steps)));
            }
        }

        await Task.WhenAll(writes);
        PublishStatus();
        return new PipelineRunOutput
        {
            Outcome = outcome,
            Reason = reason,
            Results = _state.Results.ToDictionary(r => r.Key.ToString(), r => r.Value, StringComparer.Ordinal),
        };
    }

    private async Task RunEndAsync(string activity, ComputeRunEnd end)
    {
        try
        {
            await _context.CallActivityAsync(activity, end);
        }
        catch (TaskFailedException)
        {
            // Clean-up of a compute target must not turn a finished run into a failed one; the failure stays
            // visible in the run's history (TaskFailed) and the target's own safety nets apply (Batch: job retention).
        }
    }

    private List<StepFinishedRequest>? TakeUnsentFinishes()
    {
        if (_unsentFinishes.Count == 0)
        {
            return null;
        }

        var taken = _unsentFinishes.ToList();
        _unsentFinishes.Clear();
        return taken;
    }

    // Finished steps whose close-out no begin could carry this round go out on their own, before the run waits.
    private void SendUnsentFinishes()
    {
        foreach (var finished in TakeUnsentFinishes() ?? [])
        {
            _pendingWrites.Add(_context.CallActivityAsync(PipelineRunNames.StepFinished, finished));
        }
    }

    private void CancelAttempt(RunningStep entry, string instanceId)
    {
        if (IsDirect(entry))
        {
            _pendingWrites.Add(_context.CallActivityAsync(PipelineRunNames.LocalCancel, instanceId));
        }
        else
        {
            _context.SendEvent(instanceId, StepAttempts.CancelEvent);
        }
    }

    private static bool IsDirect(RunningStep entry) => IsDirect(entry.Step);

    private static bool IsDirect(ReadyStep step) =>
        step.Definition.Sweep is null && step.Definition.Compute.Target == ComputeTarget.Local;

    private StepAttemptInput AttemptInput(ReadyStep step, int attempt, string? trackingRunId) =>
        StepAttemptInput.From(step, attempt, _input.RunId, _input.Pipeline, _input.Version,
            _prepared.TrackingUri is { } uri && trackingRunId is not null ? new TrackingContext(uri, trackingRunId, _prepared.ExperimentId) : null);

    private sealed class RunningStep(ReadyStep step, int attempt, string? trackingRunId, string? cacheKey)
    {
        public ReadyStep Step { get; } = step;

        public int Attempt { get; } = attempt;

        // Set when a folded begin answers (revision 1), given up front otherwise.
        public string? TrackingRunId { get; set; } = trackingRunId;

        public string? CacheKey { get; set; } = cacheKey;

        /// <summary>The folded begin of a local first attempt, if this attempt carries one.</summary>
        public BeginStepRequest? Begin { get; init; }

        /// <summary>An identical earlier execution the folded begin found; nothing ran.</summary>
        public StepResult? Hit { get; set; }

        public CancellationTokenSource? Backoff { get; init; }

        /// <summary>The attempt's sub-orchestration, once started (not while waiting for a retry).</summary>
        public string? InstanceId { get; set; }

        public Task<StepExecutionResult> Task { get; set; } = null!;
    }
}
