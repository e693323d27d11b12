using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Orchestration;
using Serverless.Orchestration.AzureStorage;
using Serverless.Pipelines.Attempts;
using Serverless.Pipelines.Execution;
using Serverless.Storage;
using Serverless.Testing;
using Serverless.Tracking;

namespace Serverless.Sweeps.Orchestration.Tests;

/// <summary>
/// A real engine on Azurite (own task hub) with the sweeps module, real tracking tables (own prefix) and the
/// toy local attempt. <see cref="RestartAsync"/> disposes the engine and starts a new one on the same hub.
/// </summary>
internal sealed class SweepHarness : IAsyncDisposable
{
    private readonly TimeSpan _stepDelay;
    private readonly TimeSpan _progressInterval;

    private SweepHarness(StorageClients storage, TrackingService tracking, string hub, TimeSpan stepDelay, TimeSpan progressInterval)
    {
        Storage = storage;
        Tracking = tracking;
        Hub = hub;
        _stepDelay = stepDelay;
        _progressInterval = progressInterval;
    }

    public StorageClients Storage { get; }

    public TrackingService Tracking { get; }

    public string Hub { get; }

    public DurableEngine Engine { get; private set; } = null!;

    public OrchestrationClient Client => Engine.Client;

    /// <summary>Every toy step activity call, as "instance/step".</summary>
    public ConcurrentBag<string> StepCalls { get; } = [];

    public string ExperimentId { get; private set; } = "0";

    public static async Task<SweepHarness> StartAsync(TimeSpan? stepDelay = null, TimeSpan? progressInterval = null)
    {
        var storage = new StorageClients(new StorageOptions { ConnectionString = await Azurite.EnsureRunningAsync() });
        var store = new TableTrackingStore(storage, new TrackingOptions { TablePrefix = TestNames.Unique("sw") });
        await store.InitializeAsync();
        var tracking = new TrackingService(store);
        var harness = new SweepHarness(storage, tracking, TestNames.Unique("sweephub"), stepDelay ?? TimeSpan.FromMilliseconds(60), progressInterval ?? TimeSpan.FromSeconds(1));
        harness.ExperimentId = await tracking.CreateExperimentAsync(TestNames.Unique("exp"));
        await harness.StartEngineAsync();
        return harness;
    }

    public TrackingContext TrackingContext(string? runId = null) => new("http://127.0.0.1:9", runId, ExperimentId);

    public async Task RestartAsync()
    {
        await Engine.DisposeAsync();
        await StartEngineAsync();
    }

    public Task<string> StartAsync(SweepStepInput input, string instanceId) =>
        Client.StartNewAsync(StepAttempts.SweepOrchestration, input, new StartOrchestrationOptions { InstanceId = instanceId });

    public async Task<OrchestrationMetadata> WaitAsync(string instanceId, int timeoutSeconds = 240)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        return await Client.WaitForCompletionAsync(instanceId, cts.Token);
    }

    public async Task<SweepStatusView?> StatusAsync(string instanceId) =>
        (await Client.GetInstanceAsync(instanceId)) is { SerializedCustomStatus: { } json } ? DataConverter.Deserialize<SweepStatusView>(json) : null;

    /// <summary>Polls the sweep's custom status until <paramref name="condition"/> holds.</summary>
    public async Task<SweepStatusView> WaitForStatusAsync(string instanceId, Func<SweepStatusView, bool> condition, int timeoutSeconds = 180)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (true)
        {
            if (await StatusAsync(instanceId) is { } status && condition(status))
            {
                return status;
            }

            if (DateTime.UtcNow > deadline)
            {
                var history = await Client.GetHistoryAsync(instanceId) ?? [];
                var poison = await Client.GetPoisonMessagesAsync();
                throw new TimeoutException(
                    $"sweep {instanceId} did not reach the expected state; last: {DataConverter.Serialize(await StatusAsync(instanceId))}; "
                    + $"history: {string.Join(" | ", history.Select(e => DataConverter.Serialize(e)))}; poison: {string.Join(" | ", poison.Select(p => p.Reason))}");
            }

            await Task.Delay(200);
        }
    }

    public async ValueTask DisposeAsync() => await Engine.DisposeAsync();

    private async Task StartEngineAsync()
    {
        var services = new ServiceCollection()
            .AddSingleton(Tracking)
            .AddSweeps(o => o.ProgressInterval = _progressInterval)
            .BuildServiceProvider();
        var registry = new OrchestrationRegistry();
        foreach (var module in services.GetServices<IOrchestrationModule>())
        {
            module.Register(registry, services);
        }

        ToyAttempt.Register(registry, Tracking, StepCalls, _stepDelay);
        var options = new TaskHubOptions
        {
            TaskHubName = Hub,
            PartitionCount = 2,
            ControlMessageVisibility = TimeSpan.FromSeconds(10),
        };
        Engine = new DurableEngine(Storage, options, registry);
        await Engine.StartAsync();
    }
}
