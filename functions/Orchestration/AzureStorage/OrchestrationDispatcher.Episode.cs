namespace Serverless.Orchestration.AzureStorage;

/// <summary>One episode: sort the messages, replay, checkpoint.</summary>
internal sealed partial class OrchestrationDispatcher
{
    private async Task RunEpisodeAsync(string instanceId, List<ReceivedMessage> messages, CancellationToken cancellationToken)
    {
        var now = DateTime.UtcNow;
        var state = _cache.Get(instanceId) ?? await _store.LoadAsync(instanceId, cancellationToken);
        var apply = new List<HistoryEvent>();
        var done = new List<ReceivedMessage>();
        var retryLater = new List<(ReceivedMessage Message, IReadOnlyList<HistoryEvent> Events)>();
        var reschedule = new List<(ReceivedMessage Message, HistoryEvent Timer)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var answered = new HashSet<int>(); // responses taken in this episode, to drop duplicates within the batch
        HistoryEvent? start = null;
        var terminatePending = false;

        foreach (var m in messages.OrderBy(m => m.First.Type == EventType.ExecutionStarted ? 0 : 1))
        {
            if (!seen.Add(m.Body.Id))
            {
                done.Add(m);
                continue;
            }

            if (m.First.Type == EventType.ExecutionStarted)
            {
                if (AcceptStart(ref state, m, start is not null))
                {
                    start = m.First with { MessageId = m.Body.Id, Timestamp = now };
                    apply.AddRange(m.Events.Skip(1).Select((e, i) => e with { MessageId = $"{m.Body.Id}#{i + 1}" }));
                }

                done.Add(m);
                continue;
            }

            if (state is null)
            {
                // Events can overtake the start message of a new instance; wait for it a few times.
                retryLater.Add((m, m.Events));
                continue;
            }

            if ((m.Body.ExecutionId is { } target && !string.Equals(target, state.ExecutionId, StringComparison.Ordinal)) ||
                state.Status.IsTerminal() || state.MessageIds.Contains(m.Body.Id))
            {
                done.Add(m);
                continue;
            }

            if (m.Events.Count > 1 && state.HasStarted)
            {
                // Answers of several activities batched by one worker: apply each on its own merits.
                var waiting = new List<HistoryEvent>();
                for (var i = 0; i < m.Events.Count; i++)
                {
                    var r = m.Events[i] with { MessageId = $"{m.Body.Id}#{i}" };
                    if (r.TaskScheduledId >= 0 && (state.Responded.Contains(r.TaskScheduledId) || !answered.Add(r.TaskScheduledId)))
                    {
                        continue;
                    }

                    if (r.TaskScheduledId >= 0 && !state.Scheduled.Contains(r.TaskScheduledId))
                    {
                        waiting.Add(m.Events[i]);
                        continue;
                    }

                    apply.Add(r);
                }

                if (waiting.Count > 0)
                {
                    retryLater.Add((m, waiting));
                }
                else
                {
                    done.Add(m);
                }

                continue;
            }

            var e = m.First with { MessageId = m.Body.Id };
            if (e.Type == EventType.TimerFired && e.FireAt is { } fireAt && fireAt > now.AddMilliseconds(50))
            {
                reschedule.Add((m, e));
                continue;
            }

            if (e.TaskScheduledId >= 0)
            {
                if (state.Responded.Contains(e.TaskScheduledId) || !answered.Add(e.TaskScheduledId))
                {
                    done.Add(m);
                    continue;
                }

                if (!state.Scheduled.Contains(e.TaskScheduledId))
                {
                    // The response overtook the checkpoint that recorded its request.
                    retryLater.Add((m, m.Events));
                    continue;
                }
            }

            if (!state.HasStarted && start is null)
            {
                if (e.Type == EventType.ExecutionTerminated)
                {
                    terminatePending = true;
                    state.Output = DataConverter.Serialize(e.Reason);
                    done.Add(m);
                }
                else
                {
                    retryLater.Add((m, m.Events));
                }

                continue;
            }

            apply.Add(e);
            done.Add(m);
        }

        if (state is not null && terminatePending && start is null)
        {
            state.Status = OrchestrationStatus.Terminated;
            state.CompletedTime = state.LastUpdatedTime = now;
            if (!await _store.TryReplaceInstanceAsync(state, cancellationToken))
            {
                throw new CheckpointConflictException(instanceId, new InvalidOperationException("instance row changed"));
            }
        }
        else if (state is not null && (start is not null || apply.Count > 0))
        {
            await CheckpointAsync(state, start, apply, now, cancellationToken);
        }

        foreach (var (m, timer) in reschedule)
        {
            await _queues.SendControlAsync(m.Body with { Events = [timer with { MessageId = null }], EventsBlob = null },
                TimerDelay(timer.FireAt!.Value, now), cancellationToken);
            await _queues.DeleteAsync(m, cancellationToken);
        }

        await Task.WhenAll(done.Select(m => _queues.DeleteAsync(m, cancellationToken)));
        await RequeueAsync(retryLater, cancellationToken);
    }

    /// <summary>
    /// Puts back messages that arrived before what they depend on (a response before the checkpoint
    /// recording its request, an event before its instance's start). They are re-sent as fresh copies
    /// rather than released, because a release raises the delivery count and waiting is not poison.
    /// The copy counts its requeues instead and waits longer each time; after
    /// <see cref="MaxRequeues"/> the message is a zombie (its instance never appeared) and is recorded
    /// in the poison table.
    /// </summary>
    private async Task RequeueAsync(List<(ReceivedMessage Message, IReadOnlyList<HistoryEvent> Events)> messages, CancellationToken cancellationToken)
    {
        foreach (var (m, events) in messages)
        {
            var requeues = m.Body.Requeues + 1;
            if (requeues > MaxRequeues)
            {
                await _poison.RecordAsync(_queues.QueueOf(m).Name, m.Body.InstanceId, System.Text.Json.JsonSerializer.Serialize(m.Body, DataConverter.Options),
                    m.DequeueCount, $"waited {MaxRequeues} times for an instance or request that never appeared", cancellationToken);
            }
            else
            {
                var delay = TimeSpan.FromSeconds(Math.Min(0.5 * requeues, 10));
                await _queues.SendControlAsync(m.Body with { Requeues = requeues, Events = [.. events], EventsBlob = null }, delay, cancellationToken);
            }

            await _queues.DeleteAsync(m, cancellationToken);
        }
    }

    /// <summary>Decides whether a start message begins an execution; may create or reset <paramref name="state"/>.</summary>
    private static bool AcceptStart(ref InstanceState? state, ReceivedMessage m, bool alreadyStarting)
    {
        var e = m.First;
        var executionId = e.ExecutionId ?? m.Body.ExecutionId ?? string.Empty;
        if (alreadyStarting)
        {
            return false;
        }

        if (state is null)
        {
            // The client enqueues before it writes the instance row; a worker that gets here first
            // creates the row from the message, so a crash between the client's two steps loses nothing.
            state = new InstanceState
            {
                InstanceId = m.Body.InstanceId,
                ExecutionId = executionId,
                Name = e.Name ?? string.Empty,
                Status = OrchestrationStatus.Pending,
                CreatedTime = m.Body.CreatedTime,
                LastUpdatedTime = m.Body.CreatedTime,
                Input = e.Input,
                ParentInstanceId = e.Parent?.InstanceId,
            };
            return true;
        }

        if (string.Equals(state.ExecutionId, executionId, StringComparison.Ordinal))
        {
            return !state.HasStarted && state.Status == OrchestrationStatus.Pending;
        }

        if (state.Status.IsTerminal() && m.Body.CreatedTime > state.CreatedTime)
        {
            // A new start of a finished instance whose client has not replaced the row yet.
            state.ResetForExecution(executionId, e.Name ?? string.Empty, e.Input, m.Body.CreatedTime, e.Parent?.InstanceId);
            return true;
        }

        return false;
    }

    private async Task CheckpointAsync(InstanceState state, HistoryEvent? start, List<HistoryEvent> apply, DateTime now, CancellationToken cancellationToken)
    {
        var episode = new List<HistoryEvent>(apply.Count + 2) { new() { Type = EventType.OrchestratorStarted, Timestamp = now } };
        if (start is not null)
        {
            episode.Add(start);
        }

        episode.AddRange(apply);
        var startEvent = start ?? state.History.FirstOrDefault(e => e.Type == EventType.ExecutionStarted);
        ExecutionResult result;
        Diagnostics.EngineTelemetry.TagOrchestration(state.Name);
        if (_registry.TryGetOrchestrator(state.Name, out var orchestrator))
        {
            result = OrchestrationExecutor.Execute(orchestrator, state.InstanceId, state.ExecutionId, state.History, episode);
        }
        else
        {
            result = new ExecutionResult
            {
                Status = OrchestrationStatus.Failed,
                Failure = new FailureDetails("OrchestratorNotFound", $"No orchestrator named '{state.Name}' is registered on this host."),
            };
            result.NewEvents.Add(new HistoryEvent { Type = EventType.ExecutionCompleted, Timestamp = now, Status = result.Status, Failure = result.Failure });
        }

        // First: everything this episode sends.
        var outbound = BuildOutbound(state, startEvent?.Parent, result, now);
        await SendAllAsync(outbound, cancellationToken);

        // Next: the checkpoint.
        var appended = new List<HistoryEvent>(episode.Count + result.NewEvents.Count);
        appended.AddRange(episode);
        appended.AddRange(result.NewEvents);
        state.LastUpdatedTime = now;
        if (result.CustomStatusChanged)
        {
            state.CustomStatus = result.CustomStatus;
        }

        if (result.Status == OrchestrationStatus.ContinuedAsNew)
        {
            // The next execution starts from the message sent above; its history begins empty.
            var next = outbound.Single(o => o.Message.Events![0].Type == EventType.ExecutionStarted && o.Message.InstanceId == state.InstanceId).Message;
            state.ResetForExecution(next.ExecutionId!, state.Name, result.Output, now, state.ParentInstanceId);
            appended.Clear();
        }
        else
        {
            state.Status = result.Status;
            if (result.Status.IsTerminal())
            {
                state.CompletedTime = now;
                state.Output = result.Output;
                state.Failure = result.Failure;
            }
        }

        await _store.CommitAsync(state, appended, cancellationToken);
        _cache.Put(state);
    }

    private List<(TaskMessage Message, bool WorkItem, TimeSpan? Delay)> BuildOutbound(InstanceState state, ParentInstance? parent, ExecutionResult result, DateTime now)
    {
        var id = state.InstanceId;
        var exec = state.ExecutionId;
        var list = new List<(TaskMessage, bool, TimeSpan?)>();
        var calls = result.NewEvents.Where(e => e.Type == EventType.TaskScheduled).ToList();
        var perMessage = calls.Count > _options.ActivityCallsPerMessage ? Math.Max(1, _options.ActivityCallsPerMessage) : 1;
        foreach (var chunk in calls.Chunk(perMessage))
        {
            var messageId = chunk.Length == 1 ? $"{id}|{exec}|{chunk[0].EventId}" : $"{id}|{exec}|{chunk[0].EventId}+{chunk.Length}";
            list.Add((new TaskMessage { Id = messageId, InstanceId = id, ExecutionId = exec, Events = [.. chunk], CreatedTime = now }, true, null));
        }

        foreach (var e in result.NewEvents)
        {
            switch (e.Type)
            {
                case EventType.TimerCreated:
                    var fire = new HistoryEvent { Type = EventType.TimerFired, TaskScheduledId = e.EventId, FireAt = e.FireAt, Timestamp = e.FireAt ?? now };
                    list.Add((Message(id, exec, $"{id}|{exec}|{e.EventId}|timer", fire, now), false, TimerDelay(e.FireAt ?? now, now)));
                    break;
                case EventType.SubOrchestrationCreated:
                    var childStart = new HistoryEvent
                    {
                        Type = EventType.ExecutionStarted,
                        Name = e.Name,
                        Input = e.Input,
                        ExecutionId = e.ExecutionId,
                        Parent = new ParentInstance(id, exec, e.EventId),
                        Timestamp = now,
                    };
                    list.Add((Message(e.InstanceId!, e.ExecutionId, $"{e.InstanceId}|{e.ExecutionId}|start", childStart, now), false, null));
                    break;
                case EventType.EventSent:
                    var raised = new HistoryEvent { Type = EventType.EventRaised, Name = e.Name, Input = e.Input, Timestamp = now };
                    list.Add((Message(e.InstanceId!, null, $"{id}|{exec}|{e.EventId}|event", raised, now), false, null));
                    break;
            }
        }

        if (parent is not null && result.Status.IsTerminal())
        {
            var reply = result.Status == OrchestrationStatus.Completed
                ? new HistoryEvent { Type = EventType.SubOrchestrationCompleted, TaskScheduledId = parent.TaskScheduledId, Result = result.Output, Timestamp = now }
                : new HistoryEvent
                {
                    Type = EventType.SubOrchestrationFailed,
                    TaskScheduledId = parent.TaskScheduledId,
                    Failure = result.Failure ?? new FailureDetails(result.Status.ToString(), $"Sub-orchestration '{id}' ended as {result.Status}: {result.Output}"),
                    Timestamp = now,
                };
            list.Add((Message(parent.InstanceId, parent.ExecutionId, $"{id}|{exec}|done", reply, now), false, null));
        }

        if (result.Status == OrchestrationStatus.ContinuedAsNew)
        {
            var nextExecution = DeterministicGuid.Create($"{id}|{exec}|continue").ToString("N");
            var events = new List<HistoryEvent>
            {
                new() { Type = EventType.ExecutionStarted, Name = state.Name, Input = result.Output, ExecutionId = nextExecution, Parent = parent, Timestamp = now },
            };
            events.AddRange(result.CarryOverEvents.Select(e => e with { MessageId = null }));
            list.Add((new TaskMessage { Id = $"{id}|{nextExecution}|start", InstanceId = id, ExecutionId = nextExecution, Events = events, CreatedTime = now }, false, null));
        }

        return list;
    }

    private static TaskMessage Message(string instanceId, string? executionId, string messageId, HistoryEvent e, DateTime now) =>
        new() { Id = messageId, InstanceId = instanceId, ExecutionId = executionId, Events = [e], CreatedTime = now };

    private TimeSpan? TimerDelay(DateTime fireAt, DateTime now)
    {
        var delay = fireAt - now;
        if (delay <= TimeSpan.Zero)
        {
            return null;
        }

        // Queue visibility has whole-second resolution and truncates: round up so a timer never fires early.
        delay = TimeSpan.FromSeconds(Math.Ceiling(delay.TotalSeconds));
        return delay > _options.MaxTimerMessageDelay ? _options.MaxTimerMessageDelay : delay;
    }

    private async Task SendAllAsync(List<(TaskMessage Message, bool WorkItem, TimeSpan? Delay)> outbound, CancellationToken cancellationToken)
    {
        if (outbound.Count == 0)
        {
            return;
        }

        await Parallel.ForEachAsync(outbound, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (o, ct) =>
        {
            if (o.WorkItem)
            {
                await _queues.SendWorkItemAsync(o.Message, ct);
            }
            else
            {
                await _queues.SendControlAsync(o.Message, o.Delay, ct);
            }
        });
    }

    /// <summary>Moves poison messages aside and fails their instance with the reason, so nothing waits forever.</summary>
    private async Task HandlePoisonAsync(string instanceId, List<ReceivedMessage> poison, string reason, CancellationToken cancellationToken)
    {
        foreach (var m in poison)
        {
            Log.PoisonMessage(_logger, instanceId, m.Body.Id, m.DequeueCount);
            await _poison.RecordAsync(_queues.QueueOf(m).Name, instanceId, System.Text.Json.JsonSerializer.Serialize(m.Body, DataConverter.Options), m.DequeueCount, reason, cancellationToken);
        }

        _cache.Remove(instanceId);
        var state = await _store.ReadInstanceAsync(instanceId, fetchPayloads: false, cancellationToken);
        if (state is not null && !state.Status.IsTerminal())
        {
            var now = DateTime.UtcNow;
            var failure = new FailureDetails("PoisonMessage", $"Message {poison[0].Body.Id} ({poison[0].First.Type}) was {reason}.");
            ParentInstance? parent = null;
            try
            {
                // The history may be what cannot be read; the parent is then left to its own timeouts.
                parent = (await _store.LoadAsync(instanceId, cancellationToken))?.History.FirstOrDefault(e => e.Type == EventType.ExecutionStarted)?.Parent;
            }
            catch (Exception ex)
            {
                Log.CleanupFailed(_logger, ex);
            }

            var result = new ExecutionResult { Status = OrchestrationStatus.Failed, Failure = failure };
            await SendAllAsync(BuildOutbound(state, parent, result, now), cancellationToken);
            state.Status = OrchestrationStatus.Failed;
            state.Failure = failure;
            state.CompletedTime = state.LastUpdatedTime = now;
            await _store.TryReplaceInstanceAsync(state, cancellationToken, keepHistory: true);
        }

        foreach (var m in poison)
        {
            await _queues.DeleteAsync(m, cancellationToken);
        }
    }
}
