using Microsoft.Extensions.Logging;

namespace Serverless.Orchestration.AzureStorage;

/// <summary>
/// Runs activities from the work-item queue. Any worker takes any activity. The result is sent to
/// the orchestration first and the work item deleted after, so a crash in between runs the activity
/// again (at least once) and the orchestration drops the second result.
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
        var idle = TimeSpan.FromMilliseconds(10);
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

            var free = _slots.CurrentCount + 1;
            List<ReceivedMessage> messages;
            try
            {
                messages = await _queues.ReceiveWorkItemsAsync(Math.Min(free, 32), _options.ActivityMessageVisibility, cancellationToken);
            }
            catch (Exception ex)
            {
                _slots.Release();
                if (cancellationToken.IsCancellationRequested)
                {
                    break;
                }

                Log.ReceiveFailed(_logger, ex, _queues.WorkItems.Name);
                await Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None);
                continue;
            }

            if (messages.Count == 0)
            {
                _slots.Release();
                try
                {
                    await _signals.WorkItems.WaitAsync(idle, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                idle = TimeSpan.FromTicks(Math.Min(idle.Ticks * 2, _options.MaxPollingInterval.Ticks));
                continue;
            }

            idle = TimeSpan.FromMilliseconds(10);
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

        await Task.WhenAll(running);
    }

    private async Task ExecuteAsync(ReceivedMessage message, CancellationToken shutdown)
    {
        await Task.Yield();
        using var renewal = new CancellationTokenSource();
        Task? renewTask = null;
        try
        {
            var call = message.First;
            var body = message.Body;
            HistoryEvent response;
            if (message.DequeueCount > _options.MaxDequeueCount)
            {
                var reason = $"delivered {message.DequeueCount} times without completing (a worker may have crashed while running it)";
                await _poison.RecordAsync(_queues.WorkItems.Name, body.InstanceId, System.Text.Json.JsonSerializer.Serialize(body, DataConverter.Options), message.DequeueCount, reason, CancellationToken.None);
                Log.PoisonMessage(_logger, body.InstanceId, body.Id, message.DequeueCount);
                response = Failed(call, new FailureDetails("PoisonMessage", $"Activity '{call.Name}' was {reason}."));
            }
            else
            {
                renewTask = RenewWhileRunningAsync(message, renewal.Token);
                Interlocked.Increment(ref _executions);
                response = await RunActivityAsync(message, shutdown);
            }

            await renewal.CancelAsync();
            if (renewTask is not null)
            {
                await renewTask;
            }

            await _queues.SendControlAsync(new TaskMessage
            {
                Id = body.Id + "|result",
                InstanceId = body.InstanceId,
                ExecutionId = body.ExecutionId,
                Events = [response],
                CreatedTime = DateTime.UtcNow,
            }, null, CancellationToken.None);
            await _queues.DeleteAsync(message, CancellationToken.None);
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
        {
            // Host shutting down mid-activity: hand the call back for another worker to run.
            await renewal.CancelAsync();
            await _queues.AbandonAsync(message, TimeSpan.Zero, CancellationToken.None);
        }
        catch (Exception ex)
        {
            // Storage failed while reporting; the message reappears after its visibility timeout.
            Log.CleanupFailed(_logger, ex);
        }
        finally
        {
            _slots.Release();
        }
    }

    private async Task<HistoryEvent> RunActivityAsync(ReceivedMessage message, CancellationToken shutdown)
    {
        var call = message.First;
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
