using Microsoft.Extensions.Logging;

namespace Serverless.Orchestration.AzureStorage;

/// <summary>
/// Runs activities from the work-item queue and from this process's own hand-offs. Any worker takes any
/// activity. Results are sent to the orchestration first and the work item deleted after, so a crash in
/// between runs the activity again (at least once) and the orchestration drops the second result.
/// </summary>
internal sealed class ActivityDispatcher : IDisposable
{
    private readonly TaskHubOptions _options;
    private readonly OrchestrationRegistry _registry;
    private readonly TaskHubQueues _queues;
    private readonly PoisonStore _poison;
    private readonly WorkSignals _signals;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _slots;

    private readonly Dictionary<string, Outbox> _outboxes = new(StringComparer.Ordinal);
    private long _executions;

    public ActivityDispatcher(TaskHubOptions options, OrchestrationRegistry registry, TaskHubQueues queues, PoisonStore poison, WorkSignals signals, ILogger logger)
    {
        _options = options;
        _registry = registry;
        _queues = queues;
        _poison = poison;
        _signals = signals;
        _logger = logger;
        _slots = new SemaphoreSlim(options.MaxConcurrentActivities);
    }

    /// <summary>Activity executions started by this worker, including redeliveries; for tests and benchmarks.</summary>
    public long ExecutionCount => Interlocked.Read(ref _executions);

    public void Dispose() => _slots.Dispose();

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var running = new List<Task>();
        var backoff = new PollBackoff(TimeSpan.FromMilliseconds(10), _options.MaxPollingInterval);
        var inbox = _queues.LocalWorkItems;
        inbox.Open();
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await _slots.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            var want = Math.Min(_slots.CurrentCount + 1, 32);
            var stale = new List<ReceivedMessage>();
            var messages = inbox.Take(want, _options.ActivityMessageVisibility / 2, stale);
            await _queues.ReleaseAsync(stale);

            // Hand-offs first; the queue on its own schedule (see PollBackoff), so hand-offs neither starve it
            // nor cause empty receives.
            if (messages.Count < want && backoff.Due)
            {
                try
                {
                    var received = await _queues.ReceiveWorkItemsAsync(want - messages.Count, _options.ActivityMessageVisibility, cancellationToken);
                    backoff.Polled(received.Count);
                    messages.AddRange(received);
                }
                catch (Exception ex)
                {
                    if (messages.Count == 0 && cancellationToken.IsCancellationRequested)
                    {
                        _slots.Release();
                        break;
                    }

                    if (!cancellationToken.IsCancellationRequested)
                    {
                        Log.ReceiveFailed(_logger, ex, _queues.WorkItems.Name);
                    }

                    backoff.Failed(TimeSpan.FromSeconds(1));
                }
            }

            if (messages.Count == 0)
            {
                _slots.Release();
                try
                {
                    await _signals.WorkItems.WaitAsync(backoff.UntilDue, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                continue;
            }

            for (var i = 0; i < messages.Count; i++)
            {
                // The first message uses the slot taken above; the others take theirs (free ones exist: we asked for at most that many).
                if (i > 0)
                {
                    await _slots.WaitAsync(CancellationToken.None);
                }

                running.Add(ExecuteAsync(messages[i], cancellationToken));
            }

            running.RemoveAll(t => t.IsCompleted);
        }

        await _queues.ReleaseAsync(inbox.Close());
        await Task.WhenAll(running);
    }

    /// <summary>
    /// Runs every call a work-item message carries (usually one), reports each answer as soon as it is
    /// ready, and deletes the message once all answers are sent. A crash before the delete runs the
    /// message's calls again (at least once); the orchestration drops answers it already has.
    /// </summary>
    private async Task ExecuteAsync(ReceivedMessage message, CancellationToken shutdown)
    {
        await Task.Yield();
        using var renewal = new CancellationTokenSource();
        var renewTask = RenewWhileRunningAsync(message, renewal.Token);
        try
        {
            // Every call holds a slot only while it runs (the first uses the one the receive loop took), so
            // the limit bounds running activities, and messages waiting for slots never hold any.
            var calls = new List<Task>(message.Events.Count);
            for (var i = 0; i < message.Events.Count; i++)
            {
                if (i > 0)
                {
                    await _slots.WaitAsync(shutdown);
                }

                calls.Add(RunAndReportAsync(message, message.Events[i], shutdown));
            }

            await Task.WhenAll(calls);
            await renewal.CancelAsync();
            await renewTask;
            await _queues.DeleteAsync(message, CancellationToken.None);
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
        {
            // Host shutting down mid-activity: hand the calls back for another worker to run.
            await renewal.CancelAsync();
            await _queues.AbandonAsync(message, TimeSpan.Zero, CancellationToken.None);
        }
        catch (Exception ex)
        {
            // Storage failed while reporting; the message reappears after its visibility timeout.
            await renewal.CancelAsync();
            Log.CleanupFailed(_logger, ex);
        }
    }

    private async Task RunAndReportAsync(ReceivedMessage message, HistoryEvent call, CancellationToken shutdown)
    {
        try
        {
            HistoryEvent response;
            if (message.DequeueCount > _options.MaxDequeueCount)
            {
                var reason = $"delivered {message.DequeueCount} times without completing (a worker may have crashed while running it)";
                if (call == message.First)
                {
                    var body = message.Body;
                    await _poison.RecordAsync(_queues.WorkItems.Name, body.InstanceId, System.Text.Json.JsonSerializer.Serialize(body, DataConverter.Options), message.DequeueCount, reason, CancellationToken.None);
                    Log.PoisonMessage(_logger, body.InstanceId, body.Id, message.DequeueCount);
                }

                response = Failed(call, new FailureDetails("PoisonMessage", $"Activity '{call.Name}' was {reason}."));
            }
            else
            {
                Interlocked.Increment(ref _executions);
                using var telemetry = Diagnostics.EngineTelemetry.StartActivity(call.Name, message.Body.InstanceId);
                response = await RunActivityAsync(message, call, shutdown);
                telemetry.Answered(response);
            }

            await ReportAsync(message, response);
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>
    /// Sends an activity's answer to its orchestration, then deletes the work item. Answers for the
    /// same execution that finish while a send is in flight wait and go together in the next message,
    /// so a fan-out of a thousand activities costs far fewer queue operations and orchestration
    /// episodes, while a lone answer (a sequential chain) is sent at once.
    /// </summary>
    private async Task ReportAsync(ReceivedMessage message, HistoryEvent response)
    {
        var key = message.Body.InstanceId + "|" + message.Body.ExecutionId;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Outbox box;
        bool leader;
        lock (_outboxes)
        {
            if (!_outboxes.TryGetValue(key, out box!))
            {
                _outboxes[key] = box = new Outbox();
            }

            box.Pending.Add((message, response, done));
            leader = !box.Sending;
            box.Sending = true;
        }

        if (leader)
        {
            await FlushAsync(key, box);
        }

        await done.Task;
    }

    private async Task FlushAsync(string key, Outbox box)
    {
        while (true)
        {
            List<(ReceivedMessage Message, HistoryEvent Response, TaskCompletionSource Done)> batch;
            lock (_outboxes)
            {
                if (box.Pending.Count == 0)
                {
                    box.Sending = false;
                    _outboxes.Remove(key);
                    return;
                }

                batch = box.Pending.Take(100).ToList();
                box.Pending.RemoveRange(0, batch.Count);
            }

            try
            {
                var first = batch[0].Message.Body;

                // Only the answers here: each work item is deleted by its executor once all its calls
                // are answered, so a crash in between re-runs activities and never loses an answer.
                await _queues.SendControlAsync(new TaskMessage
                {
                    Id = batch.Count == 1 ? $"{first.InstanceId}|{first.ExecutionId}|{batch[0].Response.TaskScheduledId}|result" : Guid.NewGuid().ToString("N"),
                    InstanceId = first.InstanceId,
                    ExecutionId = first.ExecutionId,
                    Events = batch.Select(b => b.Response).ToList(),
                    CreatedTime = DateTime.UtcNow,
                }, null, CancellationToken.None);
                foreach (var b in batch)
                {
                    b.Done.TrySetResult();
                }
            }
            catch (Exception ex)
            {
                // The work items reappear after their visibility timeout and run again.
                foreach (var b in batch)
                {
                    b.Done.TrySetException(ex);
                }
            }
        }
    }

    private sealed class Outbox
    {
        public List<(ReceivedMessage Message, HistoryEvent Response, TaskCompletionSource Done)> Pending { get; } = [];

        public bool Sending { get; set; }
    }

    private async Task<HistoryEvent> RunActivityAsync(ReceivedMessage message, HistoryEvent call, CancellationToken shutdown)
    {
        if (!_registry.TryGetActivity(call.Name ?? string.Empty, out var activity))
        {
            return Failed(call, new FailureDetails("ActivityNotFound", $"No activity named '{call.Name}' is registered on this host."));
        }

        var context = new ActivityContext(call.Name!, message.Body.InstanceId, message.Body.ExecutionId ?? string.Empty, call.EventId, call.Input, (int)message.DequeueCount, shutdown);
        try
        {
            var result = await activity(context);
            return new HistoryEvent { Type = EventType.TaskCompleted, TaskScheduledId = call.EventId, Result = result, Timestamp = DateTime.UtcNow };
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            Log.ActivityFailed(_logger, call.Name!, message.Body.InstanceId, ex.Message);
            return Failed(call, FailureDetails.FromException(ex));
        }
    }

    private static HistoryEvent Failed(HistoryEvent call, FailureDetails failure) =>
        new() { Type = EventType.TaskFailed, TaskScheduledId = call.EventId, Failure = failure, Timestamp = DateTime.UtcNow };

    private async Task RenewWhileRunningAsync(ReceivedMessage message, CancellationToken stop)
    {
        var period = _options.ActivityMessageVisibility / 2;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(period, stop);
                await _queues.RenewAsync(message, _options.ActivityMessageVisibility, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception ex)
            {
                Log.CleanupFailed(_logger, ex);
            }
        }
    }
}
