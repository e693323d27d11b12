using Serverless.Compute.AzureBatch.Models;
using Serverless.Compute.AzureBatch.Tests.Fakes;
using Serverless.Pipelines.Definition;
using Serverless.Pipelines.Parsing;
using Serverless.Testing;

namespace Serverless.Compute.AzureBatch.Tests;

/// <summary>
/// The GPU example cannot run here (no GPU, no Batch); these tests check what can be checked: it is a
/// valid pipeline in the platform's format, and its training step becomes a task Batch would accept.
/// </summary>
public sealed class GpuExampleTests
{
    private static readonly string s_pipeline = Path.Combine(RepoPaths.Root, "pipelines", "gpu-example", "pipeline.yaml");

    [Fact]
    public void Pipeline_ParsesWithoutDiagnostics_TrainRunsOnGpuBatchPool()
    {
        var result = PipelineParser.ParseFile(s_pipeline);

        Assert.True(result.IsValid, string.Join("\n", result.Diagnostics));
        var train = result.Definition!.FindStep("train")!;
        Assert.Equal(ComputeTarget.Batch, train.Compute.Target);
        Assert.Equal(1, train.Compute.Resources.Gpu);
        Assert.Equal("Standard_NC4as_T4_v3", train.Compute.Resources.VmSize);
        Assert.Equal("gpu-pool", train.Compute.Resources.Pool);
        Assert.Equal(TimeSpan.FromHours(2), train.Timeout);
        Assert.All(
            ["Dockerfile", "train.py", "prepare.py", "evaluate.py", "README.md"],
            f => Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(s_pipeline)!, f)), f));
    }

    [Fact]
    public async Task TrainStep_AsBatchTask_AcceptedByWireContract()
    {
        var train = PipelineParser.Load(s_pipeline).FindStep("train")!;
        await using var service = await FakeBatchService.StartAsync();
        var client = service.CreateClient();
        var jobId = BatchIds.ForJob("gpu-example/run 2026-11-21T10:00Z");

        await client.EnsureJobAsync(new BatchJobSpec { Id = jobId, PoolInfo = new(train.Compute.Resources.Pool!) });
        var task = BatchStepTasks.Create(new BatchStepRequest
        {
            TaskId = BatchIds.ForTask(train.Name, 1),
            Image = train.Compute.Resources.Image!,
            Command = train.Command,
            ContainerRunOptions = "--shm-size=8g",
            IdentityResourceId = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id",
            Inputs = train.Inputs.Select(i => new BatchStepInput
            {
                Name = i.Name,
                ContainerUrl = "https://st.blob.core.windows.net/pipelines",
                BlobPrefix = $"{jobId}/prepare/attempt-1/outputs/{i.Name}/",
            }).ToList(),
            OutputNames = train.Outputs.Select(o => o.Name).ToList(),
            OutputContainerUrl = "https://st.blob.core.windows.net/pipelines",
            OutputPath = $"{jobId}/train/attempt-1",
            Timeout = train.Timeout,
        });
        await client.EnsureTaskAsync(jobId, task);

        Assert.Empty(service.Violations);
        var body = service.TaskBody(jobId, "train-a1")!;
        Assert.Equal("PT2H", (string?)body["constraints"]!["maxWallClockTime"]);
        Assert.Contains("SERVERLESS_OUTPUT_MODEL=", (string?)body["commandLine"], StringComparison.Ordinal);
        Assert.Equal(BatchStepStatus.Pending, BatchTaskOutcomes.FromTask(await client.GetTaskAsync(jobId, "train-a1")).Status);
    }
}
