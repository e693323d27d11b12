using System.Text.RegularExpressions;
using Serverless.Pipelines.Building;
using Serverless.Pipelines.Definition;
using Serverless.Pipelines.Parsing;
using Serverless.Pipelines.Planning;
using Serverless.Testing;

namespace Serverless.Pipelines.Tests;

/// <summary>The examples in docs/pipelines.md must stay valid.</summary>
public sealed partial class DocsExamplesTests
{
    private static readonly int[] s_seeds = [1, 2, 3];

    [Fact]
    public void CompletePipelineExamplesInTheDocs_AreValid()
    {
        var doc = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "pipelines.md"));
        var blocks = YamlBlock().Matches(doc).Select(m => m.Groups[1].Value).Where(b => b.StartsWith("name:", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(blocks);
        foreach (var block in blocks)
        {
            var result = PipelineParser.Parse(block, "docs/pipelines.md");
            Assert.True(result.IsValid, string.Join("\n", result.Diagnostics));
        }
    }

    [Fact]
    public void BuilderExampleInTheDocs_BuildsAndPlans()
    {
        var pipeline = new PipelineBuilder("demo")
            .Parameter("lr", PipelineType.Number, 0.1)
            .Parameter("seeds", PipelineType.List, s_seeds)
            .Step("train", s => s
                .Command("train --lr ${{ params.lr }} --seed ${{ item }} --out ${{ outputs.model }}")
                .ForEach("params.seeds", concurrency: 2)
                .ArtifactOutput("model")
                .ValueOutput("auc", PipelineType.Number)
                .Retries(3, TimeSpan.FromSeconds(5))
                .Timeout(TimeSpan.FromMinutes(30)))
            .Step("report", s => s
                .Command("report ${{ steps.train.outputs.auc }}")
                .Input("models", "${{ steps.train.outputs.model }}"))
            .Build();

        var plan = new PipelinePlanner(pipeline, ParameterResolver.Resolve(pipeline)).Plan(RunState.Empty);

        Assert.Equal(["train --lr 0.1 --seed 1 --out outputs/model", "train --lr 0.1 --seed 2 --out outputs/model"], plan.Ready.Select(r => r.Command));
    }

    [GeneratedRegex("```yaml\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex YamlBlock();
}
