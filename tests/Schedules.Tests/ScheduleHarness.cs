using System.Collections.Concurrent;
using Serverless.Orchestration;
using Serverless.Orchestration.AzureStorage;
using Serverless.Pipelines.Definition;
using Serverless.Schedules.Definition;
using Serverless.Schedules.Launching;
using Serverless.Schedules.Running;
using Serverless.Schedules.Store;
using Serverless.Storage;
using Serverless.Testing;

namespace Serverless.Schedules.Tests;

/// <summary>
/// Real engines on Azurite (one task hub, any number of workers) running the schedule orchestration, with a
/// stand-in pipeline run orchestration: <see cref="RunOrchestrator"/> finishes at once, or holds until it
/// gets the <c>finish</c> event when the schedule's parameter <c>hold</c> is true.
/// </summary>
public sealed class ScheduleHarness : IAsyncDisposable
{
    public const string RunOrchestrator = "Test.PipelineRun";
    private readonly List<DurableEngine> _engines = [];

    private ScheduleHarness(StorageClients storage, string hub, SchedulerOptions options)
    {
        Storage = storage;
        Hub = hub;
        Options = options;
        Store = new ScheduleStore(storage, options.TableName);
    }

    public StorageClients Storage { get; }

    public string Hub { get; }

    public SchedulerOptions Options { get; }

    public ScheduleStore Store { get; }

    /// <summary>Every start the launcher made (run id, whether this call started it).</summary>
    public ConcurrentQueue<(string RunId, bool Started)> Starts { get; } = new();

    public OrchestrationClient Client => _engines[0].Client;

    public ScheduleManager Manager => new(Client, Store, packager: null, Options);

    public static async Task<ScheduleHarness> StartAsync(int engines = 1, Action<SchedulerOptions>? configure = null)
    {
        var storage = new StorageClients(new StorageOptions { ConnectionString = await Azurite.EnsureRunningAsync() });
        var options = new SchedulerOptions { TableName = TestNames.Unique("sched"), QueuePollInterval = TimeSpan.FromSeconds(1), Grace = TimeSpan.FromMinutes(2) };
        configure?.Invoke(options);
        var harness = new ScheduleHarness(storage, TestNames.Unique("hub"), options);
        for (var i = 0; i < engines; i++)
        {
            await harness.StartEngineAsync($"w{i}");
        }

        return harness;
    }

    public async Task<DurableEngine> StartEngineAsync(string workerId)
    {
        var registry = new OrchestrationRegistry();
        var launcher = new CountingLauncher(Starts);
        var engine = new DurableEngine(Storage, new TaskHubOptions
        {
            TaskHubName = Hub,
            PartitionCount = 2,
            WorkerId = workerId,
            ControlMessageVisibility = TimeSpan.FromSeconds(10),
            MaxPollingInterval = TimeSpan.FromMilliseconds(250),
            LeaseDuration = TimeSpan.FromSeconds(6),
            LeaseRenewInterval = TimeSpan.FromSeconds(2),
        }, registry);
        launcher.Bind(engine.Client);
        ScheduleOrchestration.Register(registry, launcher, Store, Options);
        registry.AddOrchestrator<RunInput, string>(RunOrchestrator, async (context, input) =>
        {
            if (input?.Hold == true)
            {
                await context.WaitForExternalEvent<string>("finish");
            }

            return "done";
        });
        await engine.StartAsync();
        _engines.Add(engine);
        return engine;
    }

    public async Task StopEngineAsync(DurableEngine engine)
    {
        _engines.Remove(engine);
        await engine.DisposeAsync();
    }

    public static ScheduleDefinition Schedule(string name, string cron, OverlapPolicy overlap = OverlapPolicy.Skip, CatchUpPolicy? catchUp = null, bool hold = false) => new()
    {
        Name = name,
        Cron = cron,
        Overlap = overlap,
        CatchUp = catchUp ?? CatchUpPolicy.None,
        Parameters = hold ? new Dictionary<string, PipelineValue> { ["hold"] = PipelineValue.True } : new Dictionary<string, PipelineValue>(),
    };

    public string[] StartedRunIds() => Starts.Where(s => s.Started).Select(s => s.RunId).ToArray();

    /// <summary>
    /// Polls <paramref name="condition"/> until it holds or the time is up. Limits are generous because the
    /// Azurite all test suites share can answer slowly under load; on a quiet machine the waits end in seconds.
    /// </summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, int seconds, string what, Func<Task<string>>? describe = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out after {seconds} s waiting for {what}" + (describe is null ? string.Empty : $"; {await describe()}"));
            }

            await Task.Delay(200);
        }
    }

    public static Task WaitUntilAsync(Func<bool> condition, int seconds, string what, Func<Task<string>>? describe = null) =>
        WaitUntilAsync(() => Task.FromResult(condition()), seconds, what, describe);

    /// <summary>The listing row, the orchestration's status and the starts, for failure messages.</summary>
    public async Task<string> DescribeAsync(string pipeline, string name)
    {
        var row = await Store.GetAsync(pipeline, name);
        var instance = await Client.GetInstanceAsync(ScheduleIds.InstanceId(ScheduleIds.ScheduleId(pipeline, name)));
        var history = await Client.GetHistoryAsync(ScheduleIds.InstanceId(ScheduleIds.ScheduleId(pipeline, name))) ?? [];
        var events = string.Join("; ", history.Select(e => $"{e.Timestamp:HH:mm:ss.fff} {e.Type} {e.Name}{(e.FireAt is { } f ? " fire " + f.ToString("HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture) : string.Empty)}"));
        return $"now {DateTime.UtcNow:HH:mm:ss.fff} history [{events}] row: {row} / instance {instance?.RuntimeStatus} {instance?.Failure?.Message} input {instance?.SerializedInput} / starts: {string.Join(", ", Starts)}";
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var engine in _engines)
        {
            await engine.DisposeAsync();
        }
    }

    public sealed record RunInput(bool Hold);

    /// <summary>Records every start; the client is bound once the engine exists.</summary>
    private sealed class CountingLauncher(ConcurrentQueue<(string, bool)> starts) : IPipelineRunLauncher
    {
        private OrchestrationRunLauncher? _inner;

        public void Bind(OrchestrationClient client) =>
            _inner = new OrchestrationRunLauncher(client, RunOrchestrator, r => new RunInput(r.Parameters.TryGetValue("hold", out var hold) && hold.AsBool()));

        public async Task<bool> StartAsync(PipelineRunRequest request, CancellationToken cancellationToken = default)
        {
            var started = await _inner!.StartAsync(request, cancellationToken);
            starts.Enqueue((request.RunId, started));
            return started;
        }

        public Task<PipelineRunState> GetStateAsync(string runId, CancellationToken cancellationToken = default) => _inner!.GetStateAsync(runId, cancellationToken);

        public Task CancelAsync(string runId, CancellationToken cancellationToken = default) => _inner!.CancelAsync(runId, cancellationToken);
    }
}
