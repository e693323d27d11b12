namespace Serverless.Tracking.Mlflow;

/// <summary>
/// Creates the tracking tables and container once per process, on first use, so the host starts
/// even while storage is briefly unreachable; a failed attempt is retried by the next request.
/// </summary>
internal sealed class TrackingInitializer(ITrackingStore tracking, IModelRegistryStore registry, IArtifactStore artifacts)
{
    private readonly Lock _lock = new();
    private Task? _task;

    public Task EnsureAsync(CancellationToken ct)
    {
        var task = _task;
        if (task is { IsCompletedSuccessfully: true })
        {
            return task;
        }

        lock (_lock)
        {
            if (_task is null || _task.IsFaulted || _task.IsCanceled)
            {
                _task = Task.WhenAll(tracking.InitializeAsync(CancellationToken.None), registry.InitializeAsync(CancellationToken.None), artifacts.InitializeAsync(CancellationToken.None));
            }

            return _task.WaitAsync(ct);
        }
    }
}
