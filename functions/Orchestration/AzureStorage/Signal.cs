namespace Serverless.Orchestration.AzureStorage;

/// <summary>
/// An auto-reset wake-up: a worker that just enqueued work wakes its own poller at once instead of
/// waiting out the idle back-off.
/// </summary>
internal sealed class Signal : IDisposable
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);

    public void Dispose() => _semaphore.Dispose();

    public void Set()
    {
        try
        {
            if (_semaphore.CurrentCount == 0)
            {
                _semaphore.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Already signalled; one pending wake-up is enough.
        }
    }

    /// <summary>Waits for a signal or the timeout; true when signalled.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _semaphore.WaitAsync(timeout, cancellationToken);
}

/// <summary>The wake-ups of one process: one per control partition and one for the work-item queue.</summary>
internal sealed class WorkSignals(int partitionCount)
{
    public Signal[] Control { get; } = Enumerable.Range(0, partitionCount).Select(_ => new Signal()).ToArray();

    public Signal WorkItems { get; } = new();
}
