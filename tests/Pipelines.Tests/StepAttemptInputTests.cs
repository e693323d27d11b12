using System.Text.Json;
using Serverless.Pipelines.Attempts;
using Serverless.Pipelines.Definition;
using Serverless.Pipelines.Execution;
using Serverless.Pipelines.Parsing;
using Serverless.Pipelines.Planning;
using Xunit;

namespace Serverless.Pipelines.Tests;

public sealed class StepAttemptInputTests
{
    private static readonly JsonSerializerOptions s_web = new(JsonSerializerDefaults.Web);

    private const string Yaml = """
        name: p
        parameters:
          lr: { type: number, default: 0.1 }
        steps:
          prep:
            command: echo prep ${{ outputs.data }}
            outputs:
              data: artifact
              rows: int
          train:
            command: python train.py --lr ${{ params.lr }} --rows ${{ steps.prep.outputs.rows }} --data ${{ inputs.data }}
            inputs:
              data: ${{ steps.prep.outputs.data }}
            outputs:
              model: artifact
            timeout: 1h
            compute:
              target: batch
              resources: { gpu: 1, pool: gpu-pool, image: "example.azurecr.io/train:1" }
        """;

    [Fact]
    public void RoundTrip_ThroughWebJson_KeepsTypedValuesAndRebuildsReadyStep()
    {
        var definition = PipelineParser.Parse(Yaml, "pipeline.yaml").GetDefinitionOrThrow();
        var planner = new PipelinePlanner(definition, ParameterResolver.Resolve(definition, null));
        var state = RunState.Empty.WithResult(new StepKey("prep"), StepResult.Succeeded(
            new Dictionary<string, ArtifactRef> { ["data"] = new("blob://runs/r1/prep/data", "sha256:ab") },
            new Dictionary<string, PipelineValue> { ["rows"] = PipelineValue.FromInt(4454) }));
        var ready = Assert.Single(planner.Plan(state).Ready);

        var input = StepAttemptInput.From(ready, 2, "r1", "p", "v1", new TrackingContext("http://127.0.0.1:7071", "run1", "1"));
        var json = JsonSerializer.Serialize(input, s_web);
        var back = JsonSerializer.Deserialize<StepAttemptInput>(json, s_web)!;

        Assert.Equal("train", back.StepKey);
        Assert.Equal(2, back.Attempt);
        Assert.Equal("r1/train/attempt-2", back.BlobPrefix);
        Assert.Contains("--rows 4454", back.Command, StringComparison.Ordinal);
        Assert.Equal(ComputeTarget.Batch, back.Compute.Target);
        Assert.Equal(1, back.Compute.Resources.Gpu);
        Assert.Equal(TimeSpan.FromHours(1), back.Timeout);
        Assert.Equal("sha256:ab", back.Inputs.Single().Artifacts.Single().Digest);
        Assert.Equal(StepAttempts.BatchOrchestration, StepAttempts.OrchestrationFor(back.Compute.Target));
        Assert.Equal("r1:train:2", StepAttempts.InstanceId(back.RunId, back.StepKey, back.Attempt));

        var rebuilt = back.ToReadyStep(definition);
        Assert.Equal(ready.Command, rebuilt.Command);
        Assert.Same(definition.FindStep("train"), rebuilt.Definition);
    }

    [Fact]
    public void PipelineValue_RoundTrip_KeepsIntAndListTypes()
    {
        var value = PipelineValue.FromList([PipelineValue.FromInt(3), PipelineValue.FromNumber(0.5), PipelineValue.FromString("x")]);
        var json = JsonSerializer.Serialize(new Dictionary<string, PipelineValue> { ["v"] = value });
        var back = JsonSerializer.Deserialize<Dictionary<string, PipelineValue>>(json)!["v"];

        Assert.Equal(value, back);
        Assert.Equal(PipelineType.Int, back.AsList()[0].Type);
    }
}
