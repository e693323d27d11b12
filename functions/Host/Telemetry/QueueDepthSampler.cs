using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Azure;
using Serverless.Host.Functions;
using Serverless.Orchestration.AzureStorage;
using Serverless.Orchestration.Diagnostics;
using Serverless.Storage;

namespace Serverless.Host.Telemetry;

/// <summary>
/// Samples the approximate length of each engine queue (and the wake queue) in the background and
/// reports the last sample through an observable gauge, whose callback must not do I/O.
/// </summary>
/// <remarks>The approximate count includes invisible messages, so waiting durable timers show up here.</remarks>
internal sealed class QueueDepthSampler : BackgroundService
{
    private readonly StorageClients _storage;
    private readonly TelemetryOptions _options;
    private readonly ILogger<QueueDepthSampler> _logger;
    private readonly string[] _queues;
    private readonly ConcurrentDictionary<string, long> _depths = new(StringComparer.Ordinal);
    private readonly Meter _meter = new(PlatformTelemetry.Host);

    public QueueDepthSampler(StorageClients storage, TaskHubOptions hub, FunctionCatalog catalog, TelemetryOptions options, ILogger<QueueDepthSampler> logger)
    {
        _storage = storage;
        _options = options;
        _logger = logger;
        _queues = [.. EngineTelemetry.QueueNames(hub), catalog.WakeQueueName];
        _meter.CreateObservableGauge("serverless.orchestration.queue.depth",
            () => _depths.Select(d => new Measurement<long>(d.Value, new KeyValuePair<string, object?>("queue", d.Key))),
            "{message}", "Approximate messages in each engine queue, invisible ones (timers) included.");
    }

    public override void Dispose()
    {
        _meter.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            foreach (var name in _queues)
            {
                try
                {
                    var properties = await _storage.Queues.GetQueueClient(name).GetPropertiesAsync(stoppingToken);
                    _depths[name] = properties.Value.ApproximateMessagesCount;
                }
                catch (RequestFailedException ex) when (ex.Status == 404)
                {
                    _depths[name] = 0;
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex)
                {
                    _logger.LogDebug(ex, "Sampling the depth of queue {Queue} failed", name);
                }
            }

            try
            {
                await Task.Delay(_options.QueueDepthInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
