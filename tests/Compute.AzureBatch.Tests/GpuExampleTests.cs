using System.Globalization;
using Serverless.Compute.AzureBatch.Models;
using Serverless.Compute.AzureBatch.Steps;
using Serverless.Compute.AzureBatch.Tests.Fakes;
using Serverless.Pipelines.Definition;
using Serverless.Pipelines.Parsing;
using Serverless.Testing;
using YamlDotNet.RepresentationModel;

namespace Serverless.Compute.AzureBatch.Tests;

/// <summary>
/// The GPU example cannot run here (no GPU, no Batch). These tests check what can be checked: it passes the
/// platform's validator, its training step asks for Batch and a GPU, and becomes a task the Batch wire contract accepts.
/// </summary>
public sealed class GpuExampleTests
{
    private static readonly string s_folder = Path.Combine(RepoPaths.Root, "pipelines", "gpu-example");

    private static YamlMappingNode Train()
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(Path.Combine(s_folder, "pipeline.yaml"));
        yaml.Load(reader);
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        return (YamlMappingNode)((YamlMappingNode)root["steps"])["train"];
    }

    private static string Scalar(YamlNode node, params string[] path)
    {
        foreach (var key in path)
        {
            node = ((YamlMappingNode)node)[key];
        }

        return ((YamlScalarNode)node).Value!;
    }

    [Fact]
    public void Pipeline_ParsedByPlatformValidator_NoDiagnosticsAndTrainOnBatch()
    {
        var parsed = PipelineParser.ParseFile(Path.Combine(s_folder, "pipeline.yaml"));

        Assert.True(parsed.IsValid, string.Join("\n", parsed.Diagnostics));
        var train = parsed.Definition!.FindStep("train")!;
        Assert.Equal(ComputeTarget.Batch, train.Compute.Target);
        Assert.Equal(1, train.Compute.Resources.Gpu);
        Assert.Equal("gpu-pool", BatchStepPlanner.PoolFor(train.Compute.Resources, new BatchOptions { GpuPoolId = "other" }));
        Assert.Equal(ComputeTarget.Local, parsed.Definition.FindStep("prepare")!.Compute.Target);
    }

    [Fact]
    public void Pipeline_TrainStep_AsksForOneGpuOnTheBatchGpuPool()
    {
        var train = Train();

        Assert.Equal("batch", Scalar(train, "compute", "target"));
        Assert.Equal("1", Scalar(train, "compute", "resources", "gpu"));
        Assert.Equal("Standard_NC4as_T4_v3", Scalar(train, "compute", "resources", "vm_size"));
        Assert.Equal("gpu-pool", Scalar(train, "compute", "resources", "pool"));
        Assert.All(
            ["Dockerfile", "train.py", "prepare.py", "evaluate.py", "README.md"],
            f => Assert.True(File.Exists(Path.Combine(s_folder, f)), f));
    }

    [Fact]
    public async Task TrainStep_AsBatchTask_AcceptedByWireContract()
    {
        var train = Train();
        await using var service = await FakeBatchService.StartAsync();
        var client = service.CreateClient();
        var jobId = BatchIds.ForJob("gpu-example/run 2026-11-21T10:00Z");
        var timeout = Scalar(train, "timeout");

        await client.EnsureJobAsync(new BatchJobSpec { Id = jobId, PoolInfo = new(Scalar(train, "compute", "resources", "pool")) });
        var task = BatchStepTasks.Create(new BatchStepRequest
        {
            TaskId = BatchIds.ForTask("train", 1),
            Image = Scalar(train, "compute", "resources", "image"),
            Command = Scalar(train, "command"),
            ContainerRunOptions = "--shm-size=8g",
            IdentityResourceId = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id",
            Inputs = ((YamlMappingNode)train["inputs"]).Children.Keys.Select(k => new BatchStepInput
            {
                Name = ((YamlScalarNode)k).Value!,
                ContainerUrl = "https://st.blob.core.windows.net/pipelines",
                BlobPrefix = $"{jobId}/prepare/attempt-1/outputs/{k}/",
            }).ToList(),
            OutputNames = ((YamlMappingNode)train["outputs"]).Children.Keys.Select(k => ((YamlScalarNode)k).Value!).ToList(),
            OutputContainerUrl = "https://st.blob.core.windows.net/pipelines",
            OutputPath = $"{jobId}/train/attempt-1",
            Timeout = TimeSpan.FromHours(int.Parse(timeout.TrimEnd('h'), CultureInfo.InvariantCulture)),
        });
        await client.EnsureTaskAsync(jobId, task);

        Assert.Empty(service.Violations);
        var body = service.TaskBody(jobId, "train-a1")!;
        Assert.Equal("PT2H", (string?)body["constraints"]!["maxWallClockTime"]);
        Assert.Contains("SERVERLESS_OUTPUT_MODEL=", (string?)body["commandLine"], StringComparison.Ordinal);
        Assert.Contains("SERVERLESS_INPUT_DATASET=", (string?)body["commandLine"], StringComparison.Ordinal);
        Assert.Equal(BatchStepStatus.Pending, BatchTaskOutcomes.FromTask(await client.GetTaskAsync(jobId, "train-a1")).Status);
    }
}
