namespace Serverless.Orchestration;

/// <summary>
/// Replays an orchestrator over its history and the episode's new events, and reports the actions
/// and completion the code produced. Pure: no I/O and no clock, so the same inputs always give the
/// same result; that is what replay tests and crash recovery rely on.
/// </summary>
internal static class OrchestrationExecutor
{
    /// <summary>Runs one episode.</summary>
    /// <param name="orchestrator">The orchestrator code.</param>
    /// <param name="instanceId">The instance.</param>
    /// <param name="executionId">The execution the history belongs to.</param>
    /// <param name="past">Events already committed for this execution.</param>
    /// <param name="newEvents">This episode's events, starting with <see cref="EventType.OrchestratorStarted"/>.</param>
    public static ExecutionResult Execute(OrchestratorFunc orchestrator, string instanceId, string executionId,
        IReadOnlyList<HistoryEvent> past, IReadOnlyList<HistoryEvent> newEvents)
    {
        var context = new ReplayOrchestrationContext(instanceId, executionId);
        var result = new ExecutionResult();
        var sync = new ReplaySynchronizationContext();
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(sync);
        Task<string?>? running = null;
        var suspended = false;
        var held = new List<HistoryEvent>();
        try
        {
            var total = past.Count + newEvents.Count;
            for (var position = 0; position < total; position++)
            {
                var e = position < past.Count ? past[position] : newEvents[position - past.Count];
                context.Replaying = position < past.Count;
                if (position == past.Count && context.PendingActions.Count > 0)
                {
                    // Every action the code took while replaying must be in the history: each episode
                    // commits its actions with its events. An extra one means the code changed.
                    var extra = context.PendingActions.OrderBy(p => p.Key).First().Value;
                    throw new NonDeterminismException(position, extra,
                        "is taken by the orchestrator code now, but the history does not record it");
                }

                switch (e.Type)
                {
                    case EventType.OrchestratorStarted:
                        context.CurrentTime = e.Timestamp;
                        break;
                    case EventType.ExecutionStarted:
                        context.StartEvent = e;
                        running = Invoke(orchestrator, context);
                        break;
                    case EventType.TaskScheduled or EventType.TimerCreated or EventType.SubOrchestrationCreated or EventType.EventSent:
                        if (!context.TryConfirmAction(e, out var mismatch))
                        {
                            throw new NonDeterminismException(position, e, mismatch!);
                        }

                        break;
                    case EventType.ExecutionTerminated:
                        result.Status = OrchestrationStatus.Terminated;
                        result.Output = DataConverter.Serialize(e.Reason);
                        break;
                    case EventType.ExecutionSuspended:
                        suspended = true;
                        break;
                    case EventType.ExecutionResumed:
                        suspended = false;
                        foreach (var h in held)
                        {
                            Deliver(context, h);
                            sync.Pump();
                        }

                        held.Clear();
                        break;
                    case EventType.ExecutionCompleted:
                        break;
                    default:
                        if (suspended)
                        {
                            held.Add(e);
                        }
                        else
                        {
                            Deliver(context, e);
                        }

                        break;
                }

                sync.Pump();
                if (result.Status == OrchestrationStatus.Terminated)
                {
                    break;
                }
            }

            if (past.Count + newEvents.Count == past.Count && context.PendingActions.Count > 0)
            {
                var extra = context.PendingActions.OrderBy(p => p.Key).First().Value;
                throw new NonDeterminismException(past.Count, extra,
                    "is taken by the orchestrator code now, but the history does not record it");
            }

            var now = context.CurrentTime;
            if (result.Status != OrchestrationStatus.Terminated)
            {
                foreach (var action in context.PendingActions.OrderBy(p => p.Key))
                {
                    result.NewEvents.Add(action.Value with { Timestamp = now });
                }

                Complete(result, running, context, suspended);
            }

            if (result.Status.IsTerminal() || result.Status == OrchestrationStatus.ContinuedAsNew)
            {
                result.NewEvents.Add(new HistoryEvent
                {
                    Type = EventType.ExecutionCompleted,
                    Timestamp = now,
                    Status = result.Status,
                    Result = result.Output,
                    Failure = result.Failure,
                });
            }

            result.CustomStatus = context.CustomStatus;
            result.CustomStatusChanged = context.CustomStatusChanged;
            if (result.Status == OrchestrationStatus.ContinuedAsNew && context.ContinueAsNewRequest!.Value.PreserveEvents)
            {
                result.CarryOverEvents.AddRange(context.BufferedEvents);
                result.CarryOverEvents.AddRange(held);
            }
        }
        catch (NonDeterminismException ex)
        {
            result.NewEvents.Clear();
            result.Status = OrchestrationStatus.Failed;
            result.Failure = new FailureDetails("NonDeterminism", ex.Message);
            result.NewEvents.Add(new HistoryEvent
            {
                Type = EventType.ExecutionCompleted,
                Timestamp = context.CurrentTime,
                Status = OrchestrationStatus.Failed,
                Failure = result.Failure,
            });
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }

        return result;
    }

    private static Task<string?> Invoke(OrchestratorFunc orchestrator, ReplayOrchestrationContext context)
    {
        try
        {
            return orchestrator(context);
        }
        catch (Exception ex)
        {
            return Task.FromException<string?>(ex);
        }
    }

    private static void Deliver(ReplayOrchestrationContext context, HistoryEvent e)
    {
        switch (e.Type)
        {
            case EventType.TaskCompleted or EventType.SubOrchestrationCompleted:
                context.TryComplete(e.TaskScheduledId, e.Result, null);
                break;
            case EventType.TaskFailed or EventType.SubOrchestrationFailed:
                context.TryComplete(e.TaskScheduledId, null, e.Failure ?? new FailureDetails("Unknown", "no failure details"));
                break;
            case EventType.TimerFired:
                context.TryComplete(e.TaskScheduledId, null, null);
                break;
            case EventType.EventRaised:
                context.DeliverEvent(e);
                break;
        }
    }

    private static void Complete(ExecutionResult result, Task<string?>? running, ReplayOrchestrationContext context, bool suspended)
    {
        if (running is null || !running.IsCompleted)
        {
            result.Status = suspended ? OrchestrationStatus.Suspended : OrchestrationStatus.Running;
            return;
        }

        if (running.IsFaulted || running.IsCanceled)
        {
            var error = running.Exception?.InnerException ?? running.Exception ?? (Exception)new TaskCanceledException();
            if (error is NonDeterminismException nd)
            {
                throw nd;
            }

            result.Status = OrchestrationStatus.Failed;
            result.Failure = FailureDetails.FromException(error);
            return;
        }

        if (context.ContinueAsNewRequest is { } next)
        {
            result.Status = OrchestrationStatus.ContinuedAsNew;
            result.Output = next.Input;
            return;
        }

        result.Status = OrchestrationStatus.Completed;
        result.Output = running.Result;
    }
}
