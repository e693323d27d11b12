using Serverless.Orchestration;
using Serverless.Orchestration.AzureStorage;
using Serverless.Pipelines.Definition;
using Serverless.Pipelines.Execution;
using Serverless.Pipelines.Orchestration;
using Serverless.Pipelines.Packaging;
using Serverless.Pipelines.Parsing;
using Serverless.Pipelines.Planning;
using Serverless.Storage;
using Serverless.Testing;
using Serverless.Tracking;

namespace Serverless.Pipelines.Orchestration.Tests;

/// <summary>
/// A real engine on Azurite with the pipeline module registered, its own task hub, containers and tables, and
/// a scratch folder for pipelines and the files their steps write.
/// </summary>
public sealed class PipelineHarness : IAsyncDisposable
{
    private PipelineHarness(DurableEngine engine, StorageClients storage, PipelinePackager packager, TrackingService tracking, string scratch)
    {
        Engine = engine;
        Storage = storage;
        Packager = packager;
        Tracking = tracking;
        Scratch = scratch;
    }

    public DurableEngine Engine { get; }

    public OrchestrationClient Client => Engine.Client;

    public StorageClients Storage { get; }

    public PipelinePackager Packager { get; }

    public TrackingService Tracking { get; }

    /// <summary>A private temporary folder.</summary>
    public string Scratch { get; }

    public static async Task<PipelineHarness> StartAsync(string prefix)
    {
        var storage = new StorageClients(new StorageOptions { ConnectionString = await Azurite.EnsureRunningAsync() });
        var scratch = Directory.CreateTempSubdirectory($"pipe-{prefix}-").FullName;
        var packager = new PipelinePackager(storage, new PackageStoreOptions { ContainerName = TestNames.Unique("pkg") });
        var executor = new LocalStepExecutor(storage, new LocalExecutorOptions
        {
            ArtifactContainer = TestNames.Unique("art"),
            WorkRoot = Path.Combine(scratch, "work"),
            KillGracePeriod = TimeSpan.FromSeconds(1),
        });
        var trackingOptions = new TrackingOptions { TablePrefix = TestNames.Unique("t").Replace("-", string.Empty, StringComparison.Ordinal), ArtifactContainer = TestNames.Unique("mlart") };
        var tracking = new TrackingService(new TableTrackingStore(storage, trackingOptions));
        var options = new PipelineRunOptions
        {
            TrackingUri = "http://127.0.0.1:9/unused",
            PackageCacheRoot = Path.Combine(scratch, "packages"),
            AttemptStateRoot = Path.Combine(scratch, "attempts"),
            CacheTable = TestNames.Unique("cache").Replace("-", string.Empty, StringComparison.Ordinal),
            ControlContainer = TestNames.Unique("ctl"),
        };
        var module = new PipelinesModule(storage, new PackageCache(packager, options.PackageCacheRoot), executor,
            new TableStepCache(storage, options.CacheTable), options, tracking, new BlobArtifactStore(storage, trackingOptions));
        var registry = new OrchestrationRegistry();
        module.Register(registry, null!);
        var engine = new DurableEngine(storage, new TaskHubOptions
        {
            TaskHubName = TestNames.Unique("hub"),
            PartitionCount = 2,
            ControlMessageVisibility = TimeSpan.FromSeconds(10),
        }, registry);
        await engine.StartAsync();
        return new PipelineHarness(engine, storage, packager, tracking, scratch);
    }

    /// <summary>Writes <paramref name="yaml"/> as a pipeline folder and publishes it.</summary>
    public async Task<PackageManifest> PublishAsync(string yaml)
    {
        var folder = Path.Combine(Scratch, "src-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "pipeline.yaml"), yaml);
        return (await Packager.PublishAsync(folder)).Manifest;
    }

    /// <summary>Starts a run of a published version; returns the run id.</summary>
    public async Task<string> StartAsync(PackageManifest package, IReadOnlyDictionary<string, PipelineValue>? parameters = null,
        IReadOnlyDictionary<string, StepResult>? reuse = null, string? rerunOf = null, bool cache = true,
        int revision = PipelineRunInput.CurrentRevision, string? runId = null)
    {
        var definition = PipelineParser.Parse((await Packager.ReadDefinitionAsync(package.Pipeline, package.Version))!, "pipeline.yaml").GetDefinitionOrThrow();
        runId ??= TestNames.Unique("run");
        await Client.StartNewAsync(PipelineRunNames.RunOrchestration, new PipelineRunInput
        {
            RunId = runId,
            Pipeline = package.Pipeline,
            Version = package.Version,
            Parameters = ParameterResolver.Resolve(definition, parameters),
            Reuse = reuse ?? new Dictionary<string, StepResult>(),
            RerunOf = rerunOf,
            Cache = cache,
            Revision = revision,
        }, new StartOrchestrationOptions { InstanceId = runId });
        return runId;
    }

    /// <summary>Waits for the run to finish and returns its output and final progress.</summary>
    public async Task<(PipelineRunOutput Output, RunProgress Progress)> WaitAsync(string runId, int timeoutSeconds = 60)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        var done = await Client.WaitForCompletionAsync(runId, cts.Token);
        Assert.True(done.RuntimeStatus == OrchestrationStatus.Completed, $"run {runId} ended {done.RuntimeStatus}: {done.Failure?.Message}");
        return (done.ReadOutputAs<PipelineRunOutput>()!, done.ReadCustomStatusAs<RunProgress>()!);
    }

    public async Task<(PipelineRunOutput Output, RunProgress Progress)> RunAsync(string yaml, IReadOnlyDictionary<string, PipelineValue>? parameters = null, int timeoutSeconds = 60) =>
        await WaitAsync(await StartAsync(await PublishAsync(yaml), parameters), timeoutSeconds);

    /// <summary>Polls the run's custom status until <paramref name="condition"/> holds.</summary>
    public async Task<RunProgress> WaitForProgressAsync(string runId, Func<RunProgress, bool> condition, int timeoutSeconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (DateTime.UtcNow < deadline)
        {
            var meta = await Client.GetInstanceAsync(runId);
            if (meta?.ReadCustomStatusAs<RunProgress>() is { } progress && condition(progress))
            {
                return progress;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"run {runId} did not reach the expected state within {timeoutSeconds} s");
    }

    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync();
        try
        {
            Directory.Delete(Scratch, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
