using Serverless.Orchestration;
using Serverless.Schedules.Calculation;
using Serverless.Schedules.Launching;
using Serverless.Schedules.Store;

namespace Serverless.Schedules.Running;

/// <summary>
/// One durable orchestration per schedule (<see cref="Name"/>, instance <see cref="ScheduleIds.InstanceId"/>).
/// Each execution handles one wake-up: it fires the occurrences that have come due since the last one
/// (catch-up and overlap policies), publishes the listing row, then races a durable timer for the next
/// occurrence against a control event, and continues as new with the small <see cref="ScheduleState"/>.
/// </summary>
/// <remarks>
/// Exactly once per occurrence: the only writer of the state is this single instance (the engine
/// serialises its episodes across hosts), the run id is a function of schedule and occurrence, and the
/// start activity treats an existing run with that id as done, so a re-run activity, a replay or a second
/// host cannot start an occurrence twice.
/// </remarks>
public static class ScheduleOrchestration
{
    /// <summary>The orchestrator's name.</summary>
    public const string Name = "Schedules.Run";

    /// <summary>The control event (<see cref="ScheduleControl"/> payload).</summary>
    public const string ControlEvent = "Schedules.Control";

    /// <summary>
    /// Activity: apply the overlap policy to an occurrence and start its run (<see cref="FireRequest"/> →
    /// <see cref="FireOutcome"/>). One activity rather than ask/cancel/start steps keeps a wake-up to a few
    /// episodes; it is safe to repeat because the previous run can only go from running to finished and the
    /// start is idempotent by run id.
    /// </summary>
    public const string FireActivity = "Schedules.Fire";

    /// <summary>Activity: write the listing row (<see cref="ScheduleRecord"/>).</summary>
    public const string SaveActivity = "Schedules.Save";

    /// <summary>Activity: remove the listing row (schedule id).</summary>
    public const string RemoveActivity = "Schedules.Remove";

    /// <summary>Adds the orchestrator and its activities to <paramref name="registry"/>.</summary>
    public static void Register(OrchestrationRegistry registry, IPipelineRunLauncher launcher, ScheduleStore store, SchedulerOptions options)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(launcher);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        registry.AddOrchestrator<ScheduleState, string?>(Name, (context, input) => RunAsync(context, input, options));
        registry.AddActivity<FireRequest, FireOutcome>(FireActivity, (context, request) =>
            FireAsync(launcher, request ?? throw new ArgumentNullException(nameof(request)), context.CancellationToken));
        registry.AddActivity<ScheduleRecord, bool>(SaveActivity, async (context, record) =>
        {
            await store.UpsertAsync(record ?? throw new ArgumentNullException(nameof(record)), context.CancellationToken);
            return true;
        });
        registry.AddActivity<string, bool>(RemoveActivity, async (context, scheduleId) =>
        {
            if (ScheduleIds.TrySplit(scheduleId ?? string.Empty, out var pipeline, out var name))
            {
                await store.DeleteAsync(pipeline, name, context.CancellationToken);
            }

            return true;
        });
    }

    /// <summary>The first state of a new schedule.</summary>
    public static ScheduleState InitialState(string pipeline, string? version, Definition.ScheduleDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return new ScheduleState { Pipeline = pipeline, Version = version, Definition = definition, Paused = definition.Paused };
    }

    private static async Task<string?> RunAsync(OrchestrationContext context, ScheduleState? input, SchedulerOptions options)
    {
        var state = input ?? throw new InvalidOperationException($"{Name} needs a {nameof(ScheduleState)} as input");
        var scheduleId = ScheduleIds.ScheduleId(state.Pipeline, state.Definition.Name);
        var now = context.CurrentUtcDateTime;
        if (state.WakeFor is { } target && target > now)
        {
            now = target;
        }

        state.WakeFor = null;
        state.Generation++;
        if (state.Anchor is null)
        {
            // A new schedule starts from now: occurrences before it existed are not "missed".
            state.Anchor = now;
        }
        else if (!state.Paused)
        {
            var due = ScheduleCalculator.Due(state.Definition, state.Anchor.Value, now, options.Grace, options.MaxCatchUp);
            state.Anchor = now;
            state.Dropped += due.Missed;

            // Queued occurrences are older than any due now, so they go first.
            var running = await DrainQueueAsync(context, state, scheduleId);
            foreach (var occurrence in due.ToFire)
            {
                running = await OfferAsync(context, state, scheduleId, occurrence, running, options);
            }
        }

        var next = state.Paused ? [] : ScheduleCalculator.NextOccurrences(state.Definition, now, options.ShownOccurrences);
        await context.CallActivityAsync(SaveActivity, ToRecord(state, scheduleId, next));

        DateTime? wake = next.Count > 0 ? next[0] : null;
        if (!state.Paused && state.Queued.Count > 0 && (wake is null || wake > now + options.QueuePollInterval))
        {
            wake = now + options.QueuePollInterval;
        }

        ScheduleControl? control = null;
        try
        {
            var timeout = wake is { } w ? (w > context.CurrentUtcDateTime ? w - context.CurrentUtcDateTime : TimeSpan.Zero) : (TimeSpan?)null;
            control = await context.WaitForExternalEvent<ScheduleControl>(ControlEvent, timeout);
        }
        catch (TimeoutException)
        {
            state.WakeFor = wake;
        }

        if (control is not null && !await ApplyAsync(context, state, scheduleId, control))
        {
            return "deleted";
        }

        context.ContinueAsNew(state);
        return null;
    }

    /// <summary>Applies a control event; returns false when the schedule is deleted.</summary>
    private static async Task<bool> ApplyAsync(OrchestrationContext context, ScheduleState state, string scheduleId, ScheduleControl control)
    {
        if (control.Kind is ScheduleControlKind.Pause or ScheduleControlKind.Resume)
        {
            state.PauseSequence = Math.Max(state.PauseSequence, control.PauseSequence);
        }

        switch (control.Kind)
        {
            case ScheduleControlKind.Pause:
                state.Paused = true;
                break;
            case ScheduleControlKind.Resume when state.Paused:
                // Occurrences that passed while paused were declined on purpose, not missed.
                state.Paused = false;
                state.Anchor = context.CurrentUtcDateTime;
                break;
            case ScheduleControlKind.Trigger:
                var runId = control.RunId ?? ScheduleIds.ManualRunId(scheduleId, context.CurrentUtcDateTime, context.NewGuid());
                // A manual trigger is an explicit request: it starts whatever the overlap policy says.
                await TryFireAsync(context, state, scheduleId, runId, context.CurrentUtcDateTime, overlap: null, previousKnownRunning: false);
                break;
            case ScheduleControlKind.Update when control.Definition is { } definition:
                if (definition.Paused != state.Definition.Paused)
                {
                    state.Paused = definition.Paused;
                }

                state.Definition = definition;
                state.Version = control.Version;
                break;
            case ScheduleControlKind.Delete:
                await context.CallActivityAsync(RemoveActivity, scheduleId);
                return false;
        }

        return true;
    }

    /// <summary>Decides one due occurrence; returns whether a run of the schedule is running afterwards.</summary>
    /// <remarks>Returns true for a failed start only when a run was already known to be running.</remarks>
    private static async Task<bool> OfferAsync(OrchestrationContext context, ScheduleState state, string scheduleId, DateTime occurrence, bool startedInThisWake, SchedulerOptions options)
    {
        var outcome = await TryFireAsync(context, state, scheduleId, ScheduleIds.RunId(scheduleId, occurrence), occurrence, state.Definition.Overlap, startedInThisWake);
        switch (outcome?.Action)
        {
            case OverlapAction.Skip:
                state.Dropped++;
                return true;
            case OverlapAction.Queue:
                state.Queued.Add(occurrence);
                if (state.Queued.Count > options.MaxQueued)
                {
                    state.Queued.RemoveAt(0);
                    state.Dropped++;
                }

                return true;
            case null:
                return startedInThisWake;
            default:
                return true;
        }
    }

    private static async Task<bool> DrainQueueAsync(OrchestrationContext context, ScheduleState state, string scheduleId)
    {
        if (state.Queued.Count == 0)
        {
            return false;
        }

        var occurrence = state.Queued[0];
        var outcome = await TryFireAsync(context, state, scheduleId, ScheduleIds.RunId(scheduleId, occurrence), occurrence, Definition.OverlapPolicy.Queue, previousKnownRunning: false);
        if (outcome is null || outcome.Fired)
        {
            // A failed start is not retried forever: the occurrence leaves the queue either way.
            state.Queued.RemoveAt(0);
        }

        // Either the head started, or the previous run still blocks it: a run is running. Only a failed start leaves none.
        return outcome is not null;
    }

    /// <summary>Runs the fire activity and records a started run; null when the activity failed.</summary>
    private static async Task<FireOutcome?> TryFireAsync(OrchestrationContext context, ScheduleState state, string scheduleId, string runId, DateTime occurrence, Definition.OverlapPolicy? overlap, bool previousKnownRunning)
    {
        var run = new PipelineRunRequest(state.Pipeline, state.Version, state.Definition.Parameters, runId, scheduleId, occurrence);
        try
        {
            var outcome = await context.CallActivityAsync<FireOutcome>(FireActivity, new FireRequest(run, overlap, state.LastRunId, previousKnownRunning))
                ?? throw new InvalidOperationException($"{FireActivity} returned nothing");
            if (outcome.Fired)
            {
                state.LastRunId = runId;
                state.LastFiredAt = occurrence;
                state.Fired++;
                state.LastError = null;
            }

            return outcome;
        }
        catch (TaskFailedException ex)
        {
            // A schedule outlives a bad version or a deleted pipeline: report it and keep time.
            state.LastError = $"starting run '{runId}' failed: {ex.Failure.Message}";
            state.Dropped++;
            return null;
        }
    }

    private static async Task<FireOutcome> FireAsync(IPipelineRunLauncher launcher, FireRequest request, CancellationToken cancellationToken)
    {
        if (request.Overlap is not { } overlap)
        {
            return new FireOutcome(OverlapAction.Start, await launcher.StartAsync(request.Run, cancellationToken));
        }

        var running = request.PreviousKnownRunning ||
            (request.PreviousRunId is { } previous && await launcher.GetStateAsync(previous, cancellationToken) == PipelineRunState.Running);
        var action = ScheduleCalculator.DecideOverlap(overlap, running);
        if (action is OverlapAction.Skip or OverlapAction.Queue)
        {
            return new FireOutcome(action, Created: false);
        }

        if (action == OverlapAction.CancelPreviousAndStart)
        {
            await launcher.CancelAsync(request.PreviousRunId!, cancellationToken);
        }

        return new FireOutcome(action, await launcher.StartAsync(request.Run, cancellationToken));
    }

    private static ScheduleRecord ToRecord(ScheduleState state, string scheduleId, IReadOnlyList<DateTime> next) => new()
    {
        Id = scheduleId,
        Pipeline = state.Pipeline,
        Version = state.Version,
        Definition = state.Definition,
        Paused = state.Paused,
        PauseSequence = state.PauseSequence,
        NextOccurrences = next,
        LastRunId = state.LastRunId,
        LastFiredAt = state.LastFiredAt,
        Fired = state.Fired,
        Dropped = state.Dropped,
        Queued = state.Queued.Count,
        LastError = state.LastError,
        Generation = state.Generation,
    };
}
