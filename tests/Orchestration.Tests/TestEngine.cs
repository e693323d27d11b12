using Serverless.Orchestration;
using Serverless.Orchestration.AzureStorage;
using Serverless.Storage;
using Serverless.Testing;

namespace Serverless.Orchestration.Tests;

/// <summary>An engine on Azurite with its own task hub, so test classes never share queues or tables.</summary>
public sealed class TestEngine : IAsyncDisposable
{
    private TestEngine(DurableEngine engine, StorageClients storage, TaskHubOptions options)
    {
        Engine = engine;
        Storage = storage;
        Options = options;
    }

    public DurableEngine Engine { get; }

    public StorageClients Storage { get; }

    public TaskHubOptions Options { get; }

    public OrchestrationClient Client => Engine.Client;

    public static async Task<TestEngine> StartAsync(OrchestrationRegistry registry, Action<TaskHubOptions>? configure = null, string? hub = null)
    {
        var storage = new StorageClients(new StorageOptions { ConnectionString = await Azurite.EnsureRunningAsync() });
        var options = new TaskHubOptions
        {
            TaskHubName = hub ?? TestNames.Unique("hub"),
            PartitionCount = 2,
            ControlMessageVisibility = TimeSpan.FromSeconds(10),
        };
        configure?.Invoke(options);
        var engine = new DurableEngine(storage, options, registry);
        await engine.StartAsync();
        return new TestEngine(engine, storage, options);
    }

    public async Task<OrchestrationMetadata> RunAsync(string name, object? input = null, string? instanceId = null, int timeoutSeconds = 30)
    {
        var id = await Client.StartNewAsync(name, input, new StartOrchestrationOptions { InstanceId = instanceId });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        return await Client.WaitForCompletionAsync(id, cts.Token);
    }

    public async ValueTask DisposeAsync() => await Engine.DisposeAsync();
}
