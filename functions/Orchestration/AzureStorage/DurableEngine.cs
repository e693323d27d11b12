using Azure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Serverless.Orchestration.AzureStorage;
using Serverless.Storage;

namespace Serverless.Orchestration;

/// <summary>
/// One task hub on one storage account: the client, and (unless disabled) this process's workers —
/// a poller per owned control partition, the activity poller, partition balancing and retention.
/// </summary>
public sealed class DurableEngine : IAsyncDisposable
{
    private readonly TaskHubOptions _options;
    private readonly TaskHubNames _names;
    private readonly StorageClients _storage;
    private readonly ILogger _logger;
    private readonly InstanceCache _cache;
    private readonly OrchestrationDispatcher _orchestrations;
    private readonly ActivityDispatcher _activities;
    private readonly PartitionManager _partitions;
    private readonly Dictionary<int, (CancellationTokenSource Stop, Task Loop)> _pollers = [];
    private readonly List<Task> _loops = [];
    private CancellationTokenSource? _stopping;

    /// <summary>Creates the engine; nothing touches storage until <see cref="StartAsync"/>.</summary>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public DurableEngine(StorageClients storage, TaskHubOptions options, OrchestrationRegistry registry, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(registry);
        options.Validate();
        _options = options;
        _storage = storage;
        _names = new TaskHubNames(options.TaskHubName, options.PartitionCount);
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Serverless.Orchestration");
        var signals = new WorkSignals(options.PartitionCount);
        var payloads = new PayloadStore(storage.Blobs.GetBlobContainerClient(_names.PayloadContainer));
        var poison = new PoisonStore(storage.Tables.GetTableClient(_names.PoisonTable));
        var queues = new TaskHubQueues(storage.Queues, _names, options, payloads, poison, signals);
        var store = new InstanceStore(storage.Tables.GetTableClient(_names.HistoryTable), payloads);
        _cache = new InstanceCache(options.InstanceCacheSize);
        _orchestrations = new OrchestrationDispatcher(options, registry, store, queues, poison, _cache, signals, _logger);
        _activities = new ActivityDispatcher(options, registry, queues, poison, signals, _logger);
        _partitions = new PartitionManager(storage.Tables.GetTableClient(_names.PartitionsTable), options, _logger)
        {
            Acquired = StartPoller,
            Released = StopPollerAsync,
        };
        Client = new OrchestrationClient(store, queues, poison);
    }

    /// <summary>The client for this hub.</summary>
    public OrchestrationClient Client { get; }

    /// <summary>The hub's settings.</summary>
    public TaskHubOptions Options => _options;

    /// <summary>Control partitions this worker currently owns.</summary>
    public IReadOnlyCollection<int> OwnedPartitions => _partitions.Owned;

    /// <summary>Activity executions started by this worker (redeliveries included).</summary>
    public long ActivityExecutions => _activities.ExecutionCount;

    /// <summary>Orchestration episodes completed by this worker.</summary>
    public long Episodes => _orchestrations.EpisodeCount;

    /// <summary>Creates the hub's tables, queues and container when missing. Idempotent.</summary>
    public async Task CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        var tasks = new List<Task>
        {
            _storage.Tables.CreateTableIfNotExistsAsync(_names.HistoryTable, cancellationToken),
            _storage.Tables.CreateTableIfNotExistsAsync(_names.PartitionsTable, cancellationToken),
            _storage.Tables.CreateTableIfNotExistsAsync(_names.PoisonTable, cancellationToken),
            _storage.Queues.GetQueueClient(_names.WorkItemQueue).CreateIfNotExistsAsync(cancellationToken: cancellationToken),
            _storage.Blobs.GetBlobContainerClient(_names.PayloadContainer).CreateIfNotExistsAsync(cancellationToken: cancellationToken),
        };
        tasks.AddRange(_names.ControlQueues.Select(q => _storage.Queues.GetQueueClient(q).CreateIfNotExistsAsync(cancellationToken: cancellationToken)));
        try
        {
            await Task.WhenAll(tasks);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // Created concurrently by another host.
        }
    }

    /// <summary>Creates storage if needed and, when workers are enabled, starts them.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await CreateIfNotExistsAsync(cancellationToken);
        if (!_options.EnableWorkers)
        {
            return;
        }

        _stopping = new CancellationTokenSource();
        var stop = _stopping.Token;

        // Take partitions before returning, so a single host is ready for work as soon as it starts.
        await _partitions.BalanceAsync(cancellationToken);
        _loops.Add(Task.Run(() => _partitions.RunAsync(stop), CancellationToken.None));
        _loops.Add(Task.Run(() => _activities.RunAsync(stop), CancellationToken.None));
        if (_options.HistoryRetention is { } retention)
        {
            _loops.Add(Task.Run(() => RetentionLoopAsync(retention, stop), CancellationToken.None));
        }
    }

    /// <summary>Stops the workers: running episodes and activities finish, leases are handed back.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (_stopping is null)
        {
            return;
        }

        await _stopping.CancelAsync();
        await Task.WhenAll(_loops).WaitAsync(cancellationToken);
        await _partitions.ReleaseAllAsync(cancellationToken);
        _stopping.Dispose();
        _stopping = null;
        _loops.Clear();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _orchestrations.Dispose();
        _activities.Dispose();
    }

    private void StartPoller(int partition)
    {
        var stop = CancellationTokenSource.CreateLinkedTokenSource(_stopping?.Token ?? CancellationToken.None);
        var loop = Task.Run(() => _orchestrations.RunPartitionAsync(partition, stop.Token), CancellationToken.None);
        lock (_pollers)
        {
            _pollers[partition] = (stop, loop);
        }
    }

    private async Task StopPollerAsync(int partition)
    {
        (CancellationTokenSource Stop, Task Loop) poller;
        lock (_pollers)
        {
            if (!_pollers.Remove(partition, out poller))
            {
                return;
            }
        }

        await poller.Stop.CancelAsync();
        await poller.Loop;
        poller.Stop.Dispose();
        _cache.RemoveWhere(id => _names.PartitionOf(id) == partition);
    }

    private async Task RetentionLoopAsync(TimeSpan retention, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var purged = await Client.PurgeInstancesAsync(new PurgeFilter { CompletedBefore = DateTime.UtcNow - retention }, stop);
                if (purged > 0)
                {
                    Log.RetentionPurged(_logger, purged);
                }

                await Task.Delay(_options.RetentionInterval, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception ex)
            {
                Log.RetentionFailed(_logger, ex);
                try
                {
                    await Task.Delay(TimeSpan.FromMinutes(1), stop);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
