using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serverless.Compute.AzureBatch.Steps;
using Serverless.Pipelines.Attempts;
using Serverless.Pipelines.Http;
using Serverless.Compute.AzureBatch.Tests.Fakes;
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

namespace Serverless.Compute.AzureBatch.Tests;

/// <summary>
/// Whole pipelines on a real engine (Azurite): the durable run orchestration <c>Pipelines.Run</c> with its local
/// steps as real processes and its <c>compute: batch</c> steps through the Batch module against the loopback fake
/// Batch service, whose fake node uploads what a task "wrote" to Azurite.
/// </summary>
public sealed class BatchPipelineHarness : IAsyncLifetime
{
    private string _scratch = null!;
    private WebApplication? _api;

    internal FakeBatchService Service { get; private set; } = null!;

    internal FakeNode Node { get; private set; } = null!;

    public StorageClients Storage { get; private set; } = null!;

    public PipelinePackager Packager { get; private set; } = null!;

    public DurableEngine Engine { get; private set; } = null!;

    public OrchestrationClient Client => Engine.Client;

    /// <summary>The pipelines API on loopback over this engine, with the Batch log source registered as the host does.</summary>
    public HttpClient Api { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Service = await FakeBatchService.StartAsync();
        Storage = new StorageClients(new StorageOptions { ConnectionString = await Azurite.EnsureRunningAsync() });
        _scratch = Directory.CreateTempSubdirectory("batch-e2e-").FullName;
        Node = new FakeNode(Service, Storage.Blobs);
        var packages = TestNames.Unique("pkg");
        Packager = new PipelinePackager(Storage, new PackageStoreOptions { ContainerName = packages });
        // Local and Batch steps share one artifact container, as in a deployment.
        var artifacts = TestNames.Unique("art");
        var executor = new LocalStepExecutor(Storage, new LocalExecutorOptions
        {
            ArtifactContainer = artifacts,
            WorkRoot = Path.Combine(_scratch, "work"),
            KillGracePeriod = TimeSpan.FromSeconds(1),
        });
        var trackingOptions = new TrackingOptions { TablePrefix = TestNames.Unique("t").Replace("-", string.Empty, StringComparison.Ordinal), ArtifactContainer = TestNames.Unique("mlart") };
        var runOptions = new PipelineRunOptions
        {
            TrackingUri = "https://func.example/api/mlflow",
            PackageCacheRoot = Path.Combine(_scratch, "packages"),
            AttemptStateRoot = Path.Combine(_scratch, "attempts"),
            CacheTable = TestNames.Unique("cache").Replace("-", string.Empty, StringComparison.Ordinal),
            ControlContainer = TestNames.Unique("ctl"),
        };
        var registry = new OrchestrationRegistry();
        new PipelinesModule(Storage, new PackageCache(Packager, runOptions.PackageCacheRoot), executor,
                new TableStepCache(Storage, runOptions.CacheTable), runOptions,
                new TrackingService(new TableTrackingStore(Storage, trackingOptions)), new BlobArtifactStore(Storage, trackingOptions))
            .Register(registry, null!);
        var batchOptions = new BatchOptions
        {
            AccountUrl = Service.Url,
            GpuPoolId = "gpu-pool",
            PoolIdentityResourceId = BatchStepFixture.Identity,
            BlobEndpoint = new Uri("https://stdev.blob.core.windows.net"),
            ArtifactContainer = artifacts,
            PackageContainer = packages,
            PollInterval = TimeSpan.FromSeconds(1),
            MaxPollInterval = TimeSpan.FromSeconds(2),
            ActivityAttempts = 3,
            ActivityRetryInterval = TimeSpan.FromSeconds(1),
        };
        BatchStepModule.Register(registry, new BatchStepActivities(Service.CreateClient(), Storage, batchOptions), batchOptions);
        Engine = new DurableEngine(Storage, new TaskHubOptions
        {
            TaskHubName = TestNames.Unique("e2ehub"),
            PartitionCount = 2,
            ControlMessageVisibility = TimeSpan.FromSeconds(10),
        }, registry);
        await Engine.StartAsync();

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var port = LoopbackPorts.GetFree();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Services.AddSingleton(Storage);
        builder.Services.AddSingleton(new LocalExecutorOptions { ArtifactContainer = artifacts });
        builder.Services.AddSingleton(new PipelineRuns(Client, new PackageCache(Packager, runOptions.PackageCacheRoot), runOptions));
        builder.Services.AddSingleton<IStepLogSource>(new BatchStepLogSource(new BatchStepLogs(Service.CreateClient(), Storage, Client)));
        _api = builder.Build();
        _api.MapPipelinesApi();
        await _api.StartAsync();
        Api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
    }

    public async Task DisposeAsync()
    {
        Api?.Dispose();
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        await Engine.DisposeAsync();
        await Service.DisposeAsync();
        try
        {
            Directory.Delete(_scratch, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Publishes <paramref name="yaml"/> and starts a run of it under <paramref name="runId"/>.</summary>
    public async Task StartAsync(string yaml, string runId)
    {
        var folder = Path.Combine(_scratch, "src-" + runId);
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "pipeline.yaml"), yaml);
        var package = (await Packager.PublishAsync(folder)).Manifest;
        var definition = PipelineParser.Parse(yaml, "pipeline.yaml").GetDefinitionOrThrow();
        await Client.StartNewAsync(PipelineRunNames.RunOrchestration, new PipelineRunInput
        {
            RunId = runId,
            Pipeline = package.Pipeline,
            Version = package.Version,
            Parameters = ParameterResolver.Resolve(definition, null),
        }, new StartOrchestrationOptions { InstanceId = runId });
    }

    public async Task<(PipelineRunOutput Output, RunProgress Progress)> WaitAsync(string runId, int timeoutSeconds = 300)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        var done = await Client.WaitForCompletionAsync(runId, cts.Token);
        Assert.True(done.RuntimeStatus == OrchestrationStatus.Completed, $"run {runId} ended {done.RuntimeStatus}: {done.Failure?.Message}");
        return (done.ReadOutputAs<PipelineRunOutput>()!, done.ReadCustomStatusAs<RunProgress>()!);
    }

    public async Task<BatchAttemptStatus> WaitForAttemptStateAsync(string instanceId, string state, int timeoutSeconds = 120)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (true)
        {
            var status = (await Client.GetInstanceAsync(instanceId))?.ReadCustomStatusAs<BatchAttemptStatus>();
            if (status?.State == state)
            {
                return status;
            }

            Assert.True(DateTime.UtcNow < deadline, $"attempt {instanceId} did not reach '{state}' (last: {status?.State ?? "none"})");
            await Task.Delay(200);
        }
    }
}
