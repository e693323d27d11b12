using System.Text.Json;
using Serverless.Compute.AzureBatch.Steps;
using Serverless.Compute.AzureBatch.Tests.Fakes;
using Serverless.Orchestration;
using Serverless.Orchestration.AzureStorage;
using Serverless.Pipelines.Attempts;
using Serverless.Pipelines.Definition;
using Serverless.Pipelines.Execution;
using Serverless.Pipelines.Planning;
using Serverless.Storage;
using Serverless.Testing;

namespace Serverless.Compute.AzureBatch.Tests;

/// <summary>
/// A real durable engine on Azurite with the Batch step module registered, talking to the loopback fake Batch
/// service; a fake node uploads what tasks "wrote" to Azurite when the fake reports them completed.
/// </summary>
public sealed class BatchStepFixture : IAsyncLifetime
{
    public const string Identity = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-dev";

    internal FakeBatchService Service { get; private set; } = null!;

    internal FakeNode Node { get; private set; } = null!;

    public StorageClients Storage { get; private set; } = null!;

    public BatchOptions Options { get; private set; } = null!;

    public BatchStepActivities Activities { get; private set; } = null!;

    public BatchStepLogs Logs { get; private set; } = null!;

    public DurableEngine Engine { get; private set; } = null!;

    public OrchestrationClient Client => Engine.Client;

    public async Task InitializeAsync()
    {
        Service = await FakeBatchService.StartAsync();
        Storage = new StorageClients(new StorageOptions { ConnectionString = await Azurite.EnsureRunningAsync() });
        Options = new BatchOptions
        {
            AccountUrl = Service.Url,
            GpuPoolId = "gpu-pool",
            CpuPoolId = "cpu-pool",
            PoolIdentityResourceId = Identity,
            RegistryServer = "myacr.azurecr.io",
            // Batch needs https URLs; the fake node maps the container URL back to Azurite.
            BlobEndpoint = new Uri("https://stdev.blob.core.windows.net"),
            ArtifactContainer = TestNames.Unique("artifacts"),
            PollInterval = TimeSpan.FromSeconds(1),
            MaxPollInterval = TimeSpan.FromSeconds(2),
            ActivityAttempts = 3,
            ActivityRetryInterval = TimeSpan.FromSeconds(1),
            TimeoutGrace = TimeSpan.FromSeconds(1),
        };
        await Storage.Blobs.GetBlobContainerClient(Options.ArtifactContainer).CreateIfNotExistsAsync();
        Node = new FakeNode(Service, Storage.Blobs);
        // One client retry only, so a dropped response reaches the activity and its durable retry.
        var client = Service.CreateClient(maxRetries: 1, maxDelay: TimeSpan.FromMilliseconds(200));
        Activities = new BatchStepActivities(client, Storage, Options);
        var registry = new OrchestrationRegistry();
        BatchStepModule.Register(registry, Activities, Options);
        Engine = new DurableEngine(Storage, new TaskHubOptions
        {
            TaskHubName = TestNames.Unique("batchhub"),
            PartitionCount = 2,
            ControlMessageVisibility = TimeSpan.FromSeconds(10),
        }, registry);
        await Engine.StartAsync();
        Logs = new BatchStepLogs(client, Storage, Engine.Client);
    }

    public async Task DisposeAsync()
    {
        await Engine.DisposeAsync();
        await Service.DisposeAsync();
    }

    /// <summary>A training attempt on the GPU pool reading a prepared dataset folder.</summary>
    public StepAttemptInput Attempt(
        string runId,
        IReadOnlyList<StepAttemptOutput>? outputs = null,
        TimeSpan? timeout = null,
        string stepKey = "train",
        int attempt = 1) => new()
    {
        RunId = runId,
        Pipeline = "gpu-example",
        PackageVersion = "v1",
        StepKey = stepKey,
        Attempt = attempt,
        Command = "python /app/train.py --data \"$SERVERLESS_INPUT_DATASET\" --out \"$SERVERLESS_OUTPUT_MODEL\"",
        Env = new Dictionary<string, string> { ["EPOCHS"] = "3" },
        Inputs =
        [
            new ResolvedInput
            {
                Name = "dataset",
                Kind = OutputKind.Artifact,
                Artifacts = [new ArtifactRef($"blob:{Options.ArtifactContainer}/{runId}/prepare/attempt-1/outputs/dataset", "sha256:00", IsDirectory: true)],
            },
            new ResolvedInput { Name = "lr", Kind = OutputKind.Value, Value = PipelineValue.FromNumber(0.001) },
        ],
        Outputs = outputs ?? [new StepAttemptOutput("model", OutputKind.Artifact)],
        Compute = new ComputeSpec
        {
            Target = ComputeTarget.Batch,
            Resources = new ResourceRequest { Gpu = 1, VmSize = "Standard_NC4as_T4_v3", Image = "myacr.azurecr.io/trainer:1.0" },
        },
        Environment = new EnvironmentSpec { Image = "python:3.12-slim" },
        Timeout = timeout ?? TimeSpan.FromHours(2),
        Tracking = new TrackingContext("https://func.example/api/mlflow", "mlrun1", "7"),
        BlobPrefix = $"{runId}/{stepKey}/attempt-{attempt}",
    };

    public static string JobId(string runId) => BatchIds.ForJob(runId, "gpu-pool");

    /// <summary>Starts the attempt's sub-orchestration on its own, under the id the run orchestration would give it.</summary>
    public async Task<string> StartAsync(StepAttemptInput attempt) =>
        await Client.StartNewAsync(
            StepAttempts.BatchOrchestration,
            attempt,
            new StartOrchestrationOptions { InstanceId = StepAttempts.InstanceId(attempt.RunId, attempt.StepKey, attempt.Attempt) });

    public async Task<(StepExecutionResult Result, OrchestrationMetadata Instance)> CompleteAsync(string instanceId, int timeoutSeconds = 240)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        var done = await Client.WaitForCompletionAsync(instanceId, cts.Token);
        Assert.True(done.RuntimeStatus == OrchestrationStatus.Completed, $"{done.RuntimeStatus}: {done.Failure?.Message}");
        return (done.ReadOutputAs<StepExecutionResult>()!, done);
    }

    public async Task<StepExecutionResult> RunAsync(StepAttemptInput attempt) =>
        (await CompleteAsync(await StartAsync(attempt))).Result;

    /// <summary>Waits until the attempt's published Batch state is <paramref name="state"/>.</summary>
    public async Task<BatchAttemptStatus> WaitForStateAsync(string instanceId, string state, int timeoutSeconds = 120)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (true)
        {
            var instance = await Client.GetInstanceAsync(instanceId);
            var status = instance?.SerializedCustomStatus is { } json ? JsonSerializer.Deserialize<BatchAttemptStatus>(json, DataConverter.Options) : null;
            if (status?.State == state)
            {
                return status;
            }

            Assert.True(DateTime.UtcNow < deadline, $"attempt {instanceId} did not reach state '{state}' (last: {status?.State ?? "none"})");
            await Task.Delay(200);
        }
    }
}
