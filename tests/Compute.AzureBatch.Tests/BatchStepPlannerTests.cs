using Serverless.Compute.AzureBatch.Steps;
using Serverless.Pipelines.Attempts;
using Serverless.Pipelines.Definition;
using Serverless.Pipelines.Planning;

namespace Serverless.Compute.AzureBatch.Tests;

public sealed class BatchStepPlannerTests
{
    private static readonly BatchOptions s_options = new()
    {
        GpuPoolId = "gpu-pool",
        CpuPoolId = "cpu-pool",
        PoolIdentityResourceId = "/id",
        PackageContainer = "pipeline-packages",
    };

    private static readonly Uri s_endpoint = new("https://st.blob.core.windows.net/");

    private static StepAttemptInput Attempt(ResourceRequest? resources = null, IReadOnlyList<ResolvedInput>? inputs = null, string stepKey = "train") => new()
    {
        RunId = "run-1",
        Pipeline = "p",
        PackageVersion = "v9",
        StepKey = stepKey,
        Attempt = 2,
        Command = "true",
        Inputs = inputs ?? [],
        Compute = new ComputeSpec { Target = ComputeTarget.Batch, Resources = resources ?? new ResourceRequest { Image = "img" } },
        BlobPrefix = "run-1/train/attempt-2",
    };

    [Theory]
    [InlineData(null, 1, "gpu-pool")]
    [InlineData(null, null, "cpu-pool")]
    [InlineData("big-pool", 1, "big-pool")]
    public void Target_PoolFromResources_PoolJobAndTaskIds(string? pool, int? gpu, string expected)
    {
        var target = BatchStepPlanner.Target(Attempt(new ResourceRequest { Pool = pool, Gpu = gpu, Image = "img" }), s_options);

        Assert.Equal(expected, target.PoolId);
        Assert.Equal(BatchIds.ForJob("run-1", expected), target.JobId);
        Assert.Equal("train-a2", target.TaskId);
        Assert.Equal("run-1/train/attempt-2/logs/stdout.txt", target.LogBlobs[0]);
    }

    [Fact]
    public void Target_IterationsOfOneStep_DistinctTaskIds()
    {
        var a = BatchStepPlanner.Target(Attempt(stepKey: "train[1]"), s_options).TaskId;
        var b = BatchStepPlanner.Target(Attempt(stepKey: "train[11]"), s_options).TaskId;

        Assert.NotEqual(a, b);
        Assert.EndsWith("-a2", a, StringComparison.Ordinal);
    }

    [Fact]
    public void Target_GpuStepWithoutGpuPool_ErrorNamesTheSetting()
    {
        var ex = Assert.Throws<BatchStepConfigurationException>(() =>
            BatchStepPlanner.Target(Attempt(new ResourceRequest { Gpu = 2, Image = "img" }), new BatchOptions { CpuPoolId = "cpu" }));

        Assert.Contains("Serverless:Batch:GpuPoolId", ex.Message, StringComparison.Ordinal);
        Assert.Contains("compute.resources.pool", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Request_InputsOfEveryKind_MappedToResourceFilesAndEnvironment()
    {
        var attempt = Attempt(inputs:
        [
            new ResolvedInput { Name = "data", Kind = OutputKind.Artifact, Artifacts = [new ArtifactRef("blob:art/run-1/prep/attempt-1/outputs/data", IsDirectory: true)] },
            new ResolvedInput { Name = "cfg", Kind = OutputKind.Artifact, Artifacts = [new ArtifactRef("package:conf/a b.json")] },
            new ResolvedInput { Name = "tool", Kind = OutputKind.Artifact, Artifacts = [new ArtifactRef("package:.build/tool")] },
            new ResolvedInput
            {
                Name = "parts", Kind = OutputKind.Artifact, Collected = true,
                Artifacts = [new ArtifactRef("blob:art/r/0/m"), new ArtifactRef("blob:art/r/1/m")],
            },
            new ResolvedInput { Name = "n", Kind = OutputKind.Value, Value = PipelineValue.FromInt(4) },
        ]);
        var target = BatchStepPlanner.Target(attempt, s_options);

        var request = BatchStepPlanner.Request(attempt, target, s_options, s_endpoint);
        var task = BatchStepTasks.Create(request);

        Assert.Equal("https://st.blob.core.windows.net/art", request.Inputs[0].ContainerUrl);
        Assert.Equal("run-1/prep/attempt-1/outputs/data/", request.Inputs[0].BlobPrefix);
        Assert.Equal("https://st.blob.core.windows.net/pipeline-packages/p/v9/src/conf/a%20b.json", request.Inputs[1].BlobUrl);
        Assert.Equal("https://st.blob.core.windows.net/pipeline-packages/p/v9/build/tool", request.Inputs[2].BlobUrl);
        Assert.Equal([0, 1], request.Inputs.Where(i => i.Name == "parts").Select(i => i.Index));
        Assert.Equal("4", request.Environment["SERVERLESS_INPUT_N"]);
        Assert.Equal("2", request.Environment["SERVERLESS_ATTEMPT"]);
        Assert.Equal("https://st.blob.core.windows.net/pipeline-artifacts", request.OutputContainerUrl);
        Assert.Equal("run-1/train/attempt-2", request.OutputPath);
        Assert.Equal(5, task.ResourceFiles!.Count);
    }

    [Fact]
    public void Request_LocalFileInput_ErrorNamesStepAndInput()
    {
        var attempt = Attempt(inputs: [new ResolvedInput { Name = "data", Kind = OutputKind.Artifact, Artifacts = [new ArtifactRef("file:/tmp/x.csv")] }]);

        var ex = Assert.Throws<BatchStepConfigurationException>(() =>
            BatchStepPlanner.Request(attempt, BatchStepPlanner.Target(attempt, s_options), s_options, s_endpoint));

        Assert.Contains("step 'train' input 'data'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Request_ImageFromEnvironmentWhenStepHasNone_RegistryOnlyForConfiguredHost()
    {
        var attempt = Attempt(new ResourceRequest { Gpu = 1 }) with { Environment = new EnvironmentSpec { Image = "myacr.azurecr.io/base:2" } };
        var options = new BatchOptions { GpuPoolId = "g", PoolIdentityResourceId = "/id", RegistryServer = "myacr.azurecr.io" };

        var request = BatchStepPlanner.Request(attempt, BatchStepPlanner.Target(attempt, options), options, s_endpoint);
        var other = BatchStepPlanner.Request(attempt with { Compute = attempt.Compute with { Resources = new ResourceRequest { Gpu = 1, Image = "docker.io/pytorch/pytorch:2" } } },
            BatchStepPlanner.Target(attempt, options), options, s_endpoint);

        Assert.Equal("myacr.azurecr.io/base:2", request.Image);
        Assert.Equal("myacr.azurecr.io", request.RegistryServer);
        Assert.Null(other.RegistryServer);
    }

    [Fact]
    public void PoolsFor_MixedSteps_OnlyBatchPoolsOnce()
    {
        var pools = BatchStepPlanner.PoolsFor(
            [ComputeSpec.Local, new ComputeSpec { Target = ComputeTarget.Batch, Resources = new() { Gpu = 1 } }, new ComputeSpec { Target = ComputeTarget.Batch, Resources = new() { Pool = "GPU-POOL" } }],
            s_options);

        Assert.Equal(["gpu-pool"], pools);
    }
}
