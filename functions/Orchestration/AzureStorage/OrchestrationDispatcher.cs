using Microsoft.Extensions.Logging;
using Serverless.Orchestration.Diagnostics;

namespace Serverless.Orchestration.AzureStorage;

/// <summary>
/// Runs orchestration episodes for the partitions this worker owns: receives control messages,
/// groups them by instance, replays the orchestrator and checkpoints the result.
/// </summary>
/// <remarks>
/// Checkpoint order (after DTFx's Azure Storage provider): first the outbound messages are sent,
/// next the history and instance row are committed under the row's ETag, last the input messages
/// are deleted. A crash after the sends re-runs the episode, which sends the same messages with the
/// same ids (duplicates are dropped by id on arrival; an activity may run twice). A crash after the
/// commit redelivers input messages whose events are already in history; they are dropped by id.
/// </remarks>
internal sealed partial class OrchestrationDispatcher : IDisposable
{
    private const int MaxRequeues = 40;

    private readonly TaskHubOptions _options;
    private readonly OrchestrationRegistry _registry;
    private readonly InstanceStore _store;
    private readonly TaskHubQueues _queues;
    private readonly PoisonStore _poison;
    private readonly InstanceCache _cache;
    private readonly WorkSignals _signals;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _concurrency;

    public OrchestrationDispatcher(TaskHubOptions options, OrchestrationRegistry registry, InstanceStore store, TaskHubQueues queues,
        PoisonStore poison, InstanceCache cache, WorkSignals signals, ILogger logger)
    {
        _options = options;
        _registry = registry;
        _store = store;
        _queues = queues;
        _poison = poison;
        _cache = cache;
        _signals = signals;
        _logger = logger;
        _concurrency = new SemaphoreSlim(options.MaxConcurrentOrchestrations);
    }

    public void Dispose() => _concurrency.Dispose();

    /// <summary>Episodes completed by this worker; for tests and benchmarks.</summary>
    public long EpisodeCount => Interlocked.Read(ref _episodes);

    private long _episodes;

    /// <summary>Polls one control queue until <paramref name="cancellationToken"/> fires, then lets running episodes finish.</summary>
    public async Task RunPartitionAsync(int partition, CancellationToken cancellationToken)
    {
        var sessions = new Dictionary<string, List<ReceivedMessage>>(StringComparer.Ordinal);
        var running = new List<Task>();
        var backoff = new PollBackoff(TimeSpan.FromMilliseconds(10), _options.MaxPollingInterval);
        var signal = _signals.Control[partition];
        var inbox = _queues.LocalControl[partition];
        inbox.Open();
        while (!cancellationToken.IsCancellationRequested)
        {
            if (_concurrency.CurrentCount == 0)
            {
                // Every episode slot is busy: messages received now would only sit in memory while
                // their visibility runs out, and each redelivery would count toward poison.
                await DelayAsync(TimeSpan.FromMilliseconds(20), cancellationToken);
                continue;
            }

            var stale = new List<ReceivedMessage>();
            var messages = inbox.Take(32, _options.ControlMessageVisibility / 2, stale);
            await _queues.ReleaseAsync(stale);

            // Hand-offs alone would starve the queue (timers, other processes' messages): it is read on its
            // own schedule whether or not hand-offs keep arriving.
            if (messages.Count < 32 && backoff.Due)
            {
                try
                {
                    var received = await _queues.ReceiveControlAsync(partition, 32 - messages.Count, _options.ControlMessageVisibility, cancellationToken);
                    backoff.Polled(received.Count);
                    messages.AddRange(received);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    await _queues.ReleaseAsync(messages);
                    break;
                }
                catch (Exception ex)
                {
                    Log.ReceiveFailed(_logger, ex, _queues.Control[partition].Name);
                    backoff.Failed(TimeSpan.FromSeconds(1));
                }
            }

            if (messages.Count == 0)
            {
                try
                {
                    await signal.WaitAsync(backoff.UntilDue, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                continue;
            }

            foreach (var group in messages.GroupBy(m => m.Body.InstanceId, StringComparer.Ordinal))
            {
                lock (sessions)
                {
                    if (sessions.TryGetValue(group.Key, out var pending))
                    {
                        // An episode for this instance is running: its messages wait for the next one.
                        pending.AddRange(group);
                        continue;
                    }

                    sessions[group.Key] = [];
                }

                running.Add(RunSessionAsync(group.Key, [.. group], sessions, cancellationToken));
            }

            running.RemoveAll(t => t.IsCompleted);
        }

        // Draining: episodes already running finish and checkpoint; pending messages go back to the queue.
        await _queues.ReleaseAsync(inbox.Close());
        await Task.WhenAll(running);
    }

    private async Task RunSessionAsync(string instanceId, List<ReceivedMessage> messages, Dictionary<string, List<ReceivedMessage>> sessions, CancellationToken cancellationToken)
    {
        await Task.Yield();
        while (true)
        {
            await ProcessAsync(instanceId, messages, cancellationToken);
            lock (sessions)
            {
                var pending = sessions[instanceId];
                if (pending.Count == 0 || cancellationToken.IsCancellationRequested)
                {
                    sessions.Remove(instanceId);
                    return;
                }

                messages = [.. pending];
                pending.Clear();
            }
        }
    }

    private async Task ProcessAsync(string instanceId, List<ReceivedMessage> messages, CancellationToken cancellationToken)
    {
        await _concurrency.WaitAsync(CancellationToken.None);
        using var telemetry = EngineTelemetry.StartEpisode(instanceId, messages.Count);
        try
        {
            // Messages delivered too often are poison: most likely they crash the worker that takes them.
            var poison = messages.Where(m => m.DequeueCount > _options.MaxDequeueCount).ToList();
            if (poison.Count > 0)
            {
                await HandlePoisonAsync(instanceId, poison, $"delivered more than {_options.MaxDequeueCount} times without being processed " +
                    "(a worker may have crashed while processing it)", CancellationToken.None);
                messages = messages.Except(poison).ToList();
                if (messages.Count == 0)
                {
                    return;
                }
            }

            await RunEpisodeAsync(instanceId, messages, CancellationToken.None);
            Interlocked.Increment(ref _episodes);
        }
        catch (CheckpointConflictException ex)
        {
            telemetry.Fail(ex);
            Log.CheckpointConflict(_logger, ex, instanceId);
            _cache.Remove(instanceId);
            await AbandonAllAsync(messages, TimeSpan.FromMilliseconds(100));
        }
        catch (Exception ex)
        {
            telemetry.Fail(ex);
            Log.EpisodeFailed(_logger, ex, instanceId);
            _cache.Remove(instanceId);
            var exhausted = messages.Where(m => m.DequeueCount >= _options.MaxDequeueCount).ToList();
            if (exhausted.Count > 0)
            {
                await HandlePoisonAsync(instanceId, exhausted, $"processing failed {_options.MaxDequeueCount} times: {ex.GetType().Name}: {ex.Message}", CancellationToken.None);
            }

            foreach (var m in messages.Except(exhausted))
            {
                await SafeAsync(() => _queues.AbandonAsync(m, TimeSpan.FromSeconds(Math.Min(Math.Pow(2, m.DequeueCount), 30)), CancellationToken.None));
            }
        }
        finally
        {
            _concurrency.Release();
        }
    }

    private async Task AbandonAllAsync(IEnumerable<ReceivedMessage> messages, TimeSpan delay)
    {
        foreach (var m in messages)
        {
            await SafeAsync(() => _queues.AbandonAsync(m, delay, CancellationToken.None));
        }
    }

    private async Task SafeAsync(Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (Exception ex)
        {
            Log.CleanupFailed(_logger, ex);
        }
    }

    private static async Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    }
}
