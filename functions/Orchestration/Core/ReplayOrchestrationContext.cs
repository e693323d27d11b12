using Microsoft.Extensions.Logging;

namespace Serverless.Orchestration;

/// <summary>
/// The context handed to orchestrator code during replay. Every call that reaches outside the
/// orchestrator (activity, timer, sub-orchestration, sent event) becomes an action with the next
/// sequence number; the executor checks those actions against the history and completes their tasks
/// from the response events.
/// </summary>
internal sealed class ReplayOrchestrationContext : OrchestrationContext
{
    private readonly Dictionary<int, HistoryEvent> _pendingActions = [];
    private readonly Dictionary<int, OpenTask> _openTasks = [];
    private readonly Dictionary<string, List<TaskCompletionSource<string?>>> _eventWaiters = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<HistoryEvent> _bufferedEvents = [];
    private int _nextEventId;
    private int _guidCounter;

    public ReplayOrchestrationContext(string instanceId, string executionId)
    {
        InstanceId = instanceId;
        ExecutionId = executionId;
    }

    public override string InstanceId { get; }

    public override string ExecutionId { get; }

    public override string Name => StartEvent?.Name ?? string.Empty;

    public override ParentInstance? Parent => StartEvent?.Parent;

    public override DateTime CurrentUtcDateTime => CurrentTime;

    public override bool IsReplaying => Replaying;

    internal DateTime CurrentTime { get; set; }

    internal bool Replaying { get; set; }

    internal HistoryEvent? StartEvent { get; set; }

    internal (string? Input, bool PreserveEvents)? ContinueAsNewRequest { get; private set; }

    internal string? CustomStatus { get; private set; }

    internal bool CustomStatusChanged { get; private set; }

    /// <summary>Actions created by the code and not yet matched by a history event, by sequence number.</summary>
    internal IReadOnlyDictionary<int, HistoryEvent> PendingActions => _pendingActions;

    internal IReadOnlyList<HistoryEvent> BufferedEvents => _bufferedEvents;

    public override T? GetInput<T>() where T : default => DataConverter.Deserialize<T>(StartEvent?.Input);

    public override Task<TResult?> CallActivityAsync<TResult>(string name, object? input = null, TaskOptions? options = null) where TResult : default
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var serialized = DataConverter.Serialize(input);
        Task<TResult?> Attempt() => ScheduleAsync<TResult>(new HistoryEvent
        {
            Type = EventType.TaskScheduled,
            Name = name,
            Input = serialized,
        });
        return options?.Retry is { } retry ? RetryAsync(Attempt, retry) : Attempt();
    }

    public override Task<TResult?> CallSubOrchestratorAsync<TResult>(string name, object? input = null, TaskOptions? options = null) where TResult : default
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var serialized = DataConverter.Serialize(input);
        Task<TResult?> Attempt()
        {
            var id = _nextEventId;
            var childId = options?.InstanceId ?? $"{InstanceId}:{id:D4}";
            InstanceIds.Validate(childId);
            return ScheduleAsync<TResult>(new HistoryEvent
            {
                Type = EventType.SubOrchestrationCreated,
                Name = name,
                Input = serialized,
                InstanceId = childId,
                // Deterministic so that a re-sent start after a crash is recognised as the same start.
                ExecutionId = DeterministicGuid.Create($"{InstanceId}|{ExecutionId}|{id}").ToString("N"),
            });
        }

        return options?.Retry is { } retry ? RetryAsync(Attempt, retry) : Attempt();
    }

    public override Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken = default)
    {
        var utc = fireAt.Kind == DateTimeKind.Local ? fireAt.ToUniversalTime() : DateTime.SpecifyKind(fireAt, DateTimeKind.Utc);
        var id = AddAction(new HistoryEvent { Type = EventType.TimerCreated, FireAt = utc });
        var tcs = new TaskCompletionSource<string?>();
        _openTasks[id] = new OpenTask("timer", tcs);
        if (cancellationToken.CanBeCanceled)
        {
            cancellationToken.Register(() => tcs.TrySetCanceled(cancellationToken));
        }

        return tcs.Task;
    }

    public override Task<T?> WaitForExternalEvent<T>(string name, TimeSpan? timeout = null, CancellationToken cancellationToken = default) where T : default
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var buffered = _bufferedEvents.FindIndex(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase));
        if (buffered >= 0)
        {
            var input = _bufferedEvents[buffered].Input;
            _bufferedEvents.RemoveAt(buffered);
            return Task.FromResult(DataConverter.Deserialize<T>(input));
        }

        var tcs = new TaskCompletionSource<string?>();
        if (!_eventWaiters.TryGetValue(name, out var waiters))
        {
            _eventWaiters[name] = waiters = [];
        }

        waiters.Add(tcs);
        if (timeout is null && !cancellationToken.CanBeCanceled)
        {
            return Deserialize<T>(tcs.Task);
        }

        return WaitWithTimeoutAsync<T>(name, tcs, timeout, cancellationToken);
    }

    public override void SendEvent(string instanceId, string eventName, object? data = null)
    {
        InstanceIds.Validate(instanceId);
        ArgumentException.ThrowIfNullOrWhiteSpace(eventName);
        AddAction(new HistoryEvent
        {
            Type = EventType.EventSent,
            InstanceId = instanceId,
            Name = eventName,
            Input = DataConverter.Serialize(data),
        });
    }

    public override void ContinueAsNew(object? input, bool preserveUnprocessedEvents = true) =>
        ContinueAsNewRequest = (DataConverter.Serialize(input), preserveUnprocessedEvents);

    public override void SetCustomStatus(object? status)
    {
        CustomStatus = DataConverter.Serialize(status);
        CustomStatusChanged = true;
    }

    public override Guid NewGuid() =>
        DeterministicGuid.Create($"{InstanceId}|{ExecutionId}|{CurrentTime.Ticks}|{_guidCounter++}");

    public override ILogger CreateReplaySafeLogger(ILogger logger) => new ReplaySafeLogger(this, logger);

    /// <summary>Matches a history action event against the action the code took with the same sequence number.</summary>
    internal bool TryConfirmAction(HistoryEvent historyEvent, out string? mismatch)
    {
        if (!_pendingActions.Remove(historyEvent.EventId, out var action))
        {
            mismatch = "is not scheduled by the orchestrator code any more";
            return false;
        }

        if (action.Type != historyEvent.Type || !string.Equals(action.Name, historyEvent.Name, StringComparison.OrdinalIgnoreCase))
        {
            mismatch = $"does not match the action the code now takes at that point: {action.Type} '{action.Name}'";
            return false;
        }

        mismatch = null;
        return true;
    }

    /// <summary>Completes the task waiting on action <paramref name="taskId"/>; false when nothing waits (a duplicate or an abandoned timer).</summary>
    internal bool TryComplete(int taskId, string? result, FailureDetails? failure)
    {
        if (!_openTasks.Remove(taskId, out var open))
        {
            return false;
        }

        if (failure is null)
        {
            open.Source.TrySetResult(result);
        }
        else
        {
            open.Source.TrySetException(new TaskFailedException(open.Name, taskId, failure));
        }

        return true;
    }

    /// <summary>Hands an external event to the first waiter for its name, or keeps it until someone waits.</summary>
    internal void DeliverEvent(HistoryEvent raised)
    {
        if (raised.Name is { } name && _eventWaiters.TryGetValue(name, out var waiters) && waiters.Count > 0)
        {
            var waiter = waiters[0];
            waiters.RemoveAt(0);
            waiter.TrySetResult(raised.Input);
            return;
        }

        _bufferedEvents.Add(raised);
    }

    private int AddAction(HistoryEvent action)
    {
        var id = _nextEventId++;
        _pendingActions[id] = action with { EventId = id };
        return id;
    }

    private Task<T?> ScheduleAsync<T>(HistoryEvent action)
    {
        var id = AddAction(action);
        var tcs = new TaskCompletionSource<string?>();
        _openTasks[id] = new OpenTask(action.Name ?? action.Type.ToString(), tcs);
        return Deserialize<T>(tcs.Task);
    }

    private static async Task<T?> Deserialize<T>(Task<string?> raw) => DataConverter.Deserialize<T>(await raw);

    private async Task<T?> RetryAsync<T>(Func<Task<T?>> attempt, RetryPolicy policy)
    {
        var firstAttemptAt = CurrentTime;
        for (var number = 1; ; number++)
        {
            TaskFailedException failure;
            try
            {
                return await attempt();
            }
            catch (TaskFailedException ex)
            {
                failure = ex;
            }

            var delay = policy.DelayAfter(number);
            if (number >= policy.MaxAttempts || !policy.Handle(failure) || CurrentTime + delay - firstAttemptAt > policy.RetryTimeout)
            {
                throw failure;
            }

            await CreateTimer(CurrentTime + delay);
        }
    }

    private async Task<T?> WaitWithTimeoutAsync<T>(string name, TaskCompletionSource<string?> waiter, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        using var timerCancel = new CancellationTokenSource();
        var waits = new List<Task> { waiter.Task };
        Task? timer = null;
        if (timeout is { } t)
        {
            timer = CreateTimer(CurrentTime + t, timerCancel.Token);
            waits.Add(timer);
        }

        var cancelled = new TaskCompletionSource();
        using var registration = cancellationToken.Register(() => cancelled.TrySetResult());
        waits.Add(cancelled.Task);

        var winner = await Task.WhenAny(waits);
        // Cancel synchronously: CancelAsync runs the callbacks on the thread pool, outside replay.
#pragma warning disable CA1849
        if (winner == waiter.Task)
        {
            timerCancel.Cancel();
            return DataConverter.Deserialize<T>(await waiter.Task);
        }

        // The event may still arrive later; it then goes to the buffer instead of this abandoned waiter.
        _eventWaiters[name].Remove(waiter);
        timerCancel.Cancel();
#pragma warning restore CA1849
        cancellationToken.ThrowIfCancellationRequested();
        throw new TimeoutException($"Event '{name}' did not arrive within {timeout}.");
    }

    private sealed record OpenTask(string Name, TaskCompletionSource<string?> Source);

    private sealed class ReplaySafeLogger(ReplayOrchestrationContext context, ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => !context.Replaying && inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!context.Replaying)
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
            }
        }
    }
}
