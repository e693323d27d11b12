using Azure;
using Azure.Storage.Queues;
using Serverless.Orchestration;
using Serverless.Orchestration.AzureStorage;
using Serverless.Orchestration.Diagnostics;
using Serverless.Storage;

namespace Serverless.Host.Functions;

/// <summary>
/// Answers "does the engine have work right now?": a visible message in any of the hub's queues, or
/// episodes/activities completed by this process since the last look.
/// </summary>
/// <remarks>
/// Peeking sees visible messages only, which is the point: a durable timer waiting days in a control
/// queue is invisible and must not keep an instance alive. The approximate message count would count it.
/// A single activity running longer than the hold window without other progress is not seen.
/// </remarks>
internal sealed class EngineWorkProbe(StorageClients storage, TaskHubOptions hub, DurableEngine engine)
{
    private readonly QueueClient[] _queues = [.. EngineTelemetry.QueueNames(hub).Select(storage.Queues.GetQueueClient)];
    private long _lastProgress = -1;

    /// <summary>True when work is waiting or progressed since the previous call.</summary>
    public async Task<bool> HasWorkAsync(CancellationToken cancellationToken)
    {
        var progress = engine.Episodes + engine.ActivityExecutions;
        var previous = Interlocked.Exchange(ref _lastProgress, progress);
        if (previous >= 0 && progress != previous)
        {
            return true;
        }

        foreach (var queue in _queues)
        {
            try
            {
                var peeked = await queue.PeekMessagesAsync(1, cancellationToken);
                if (peeked.Value.Length > 0)
                {
                    return true;
                }
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                // The hub is not created yet: nothing waits there.
            }
        }

        return false;
    }
}
