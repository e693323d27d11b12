using Serverless.Orchestration;
using Serverless.Orchestration.AzureStorage;
using Serverless.Pipelines.Execution;
using Serverless.Pipelines.Orchestration;
using Serverless.Pipelines.Packaging;
using Serverless.Schedules.Launching;
using Serverless.Schedules.Running;
using Serverless.Schedules.Store;
using Serverless.Storage;
using Serverless.Testing;

namespace Serverless.Schedules.Tests;

/// <summary>A schedule starting a real <c>Pipelines.Run</c> through the pipelines context's <see cref="PipelineRuns"/>.</summary>
public sealed class RealPipelineRunTests : IAsyncDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("sched-real-").FullName;
    private DurableEngine? _engine;

    [Fact]
    public async Task Trigger_StartsARealPipelineRun_WithTheScheduleParameters()
    {
        var storage = new StorageClients(new StorageOptions { ConnectionString = await Azurite.EnsureRunningAsync() });
        var packager = new PipelinePackager(storage, new PackageStoreOptions { ContainerName = TestNames.Unique("pkg") });
        var options = new PipelineRunOptions
        {
            TrackingUri = "http://127.0.0.1:9/unused",
            PackageCacheRoot = Path.Combine(_scratch, "packages"),
            AttemptStateRoot = Path.Combine(_scratch, "attempts"),
            CacheTable = TestNames.Unique("cache"),
            ControlContainer = TestNames.Unique("ctl"),
        };
        var packages = new PackageCache(packager, options.PackageCacheRoot);
        var executor = new LocalStepExecutor(storage, new LocalExecutorOptions { ArtifactContainer = TestNames.Unique("art"), WorkRoot = Path.Combine(_scratch, "work") });
        var registry = new OrchestrationRegistry();
        new PipelinesModule(storage, packages, executor, new TableStepCache(storage, options.CacheTable), options).Register(registry, null!);
        _engine = new DurableEngine(storage, new TaskHubOptions
        {
            TaskHubName = TestNames.Unique("hub"),
            PartitionCount = 2,
            ControlMessageVisibility = TimeSpan.FromSeconds(10),
            MaxPollingInterval = TimeSpan.FromMilliseconds(250),
        }, registry);
        var runs = new PipelineRuns(_engine.Client, packages, options);
        var schedulerOptions = new SchedulerOptions { TableName = TestNames.Unique("sched") };
        var store = new ScheduleStore(storage, schedulerOptions.TableName);
        ScheduleOrchestration.Register(registry, new PipelinesRunLauncher(_engine.Client, runs), store, schedulerOptions);
        await _engine.StartAsync();

        var folder = Path.Combine(_scratch, "src");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, PipelinePackager.DefinitionFileName), """
            name: sched-real
            parameters:
              greeting: {type: string, default: hello}
              epochs: {type: int, default: 1}
            steps:
              say:
                command: echo ${{ params.greeting }}
            schedules:
              - name: yearly
                cron: "0 0 0 1 1 *"
                parameters: {greeting: scheduled}
            """);
        var published = await packager.PublishAsync(folder);
        var manager = new ScheduleManager(_engine.Client, store, packager, schedulerOptions);
        var applied = await manager.ApplyAsync("sched-real", null);
        Assert.Equal("sched-real.yearly", Assert.Single(applied).Id);

        var runId = await manager.TriggerAsync("sched-real.yearly");

        await ScheduleHarness.WaitUntilAsync(async () => await _engine.Client.GetInstanceAsync(runId) is not null, 90, "the pipeline run to exist");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var done = await _engine.Client.WaitForCompletionAsync(runId, cts.Token);
        Assert.Equal(OrchestrationStatus.Completed, done.RuntimeStatus);
        Assert.Equal(PipelineRunNames.RunOrchestration, done.Name);
        var info = await runs.GetAsync(runId);
        Assert.Equal("Succeeded", info.Status);
        Assert.Equal(published.Manifest.Version, info.Version);
        Assert.Equal("scheduled", info.Parameters!["greeting"].AsString());
        Assert.Equal(1, info.Parameters!["epochs"].AsInt());
    }

    public async ValueTask DisposeAsync()
    {
        if (_engine is not null)
        {
            await _engine.DisposeAsync();
        }

        Directory.Delete(_scratch, recursive: true);
    }
}
