using Azure.Storage.Queues;
using Serverless.Storage;

namespace Serverless.Host.Functions;

/// <summary>Posts wake messages to the hub's wake queue, at most one per <see cref="FunctionsOptions.WakeDebounce"/>.</summary>
internal sealed class WakePoster(StorageClients storage, FunctionCatalog catalog, FunctionsOptions options, ILogger<WakePoster> logger)
{
    private readonly QueueClient _queue = storage.Queues.GetQueueClient(catalog.WakeQueueName);
    private long _lastPost = long.MinValue;

    /// <summary>The wake queue.</summary>
    public QueueClient Queue => _queue;

    /// <summary>Posts a wake message unless one went out recently; never throws (a missed wake-up only delays work until the next tick).</summary>
    public async Task PostAsync(string reason, CancellationToken cancellationToken)
    {
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastPost);
        if (last != long.MinValue && now - last < options.WakeDebounce.TotalMilliseconds)
        {
            return;
        }

        if (Interlocked.CompareExchange(ref _lastPost, now, last) != last)
        {
            return;
        }

        try
        {
            await _queue.SendMessageAsync(new WakeMessage(reason, DateTimeOffset.UtcNow).ToJson(), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Posting a wake message to {Queue} failed", _queue.Name);
        }
    }
}
