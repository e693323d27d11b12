using System.Globalization;
using Serverless.Pipelines.Attempts;
using Serverless.Pipelines.Definition;
using Serverless.Pipelines.Execution;
using Serverless.Pipelines.Planning;

namespace Serverless.Sweeps.Orchestration.Tests;

/// <summary>
/// A pipeline whose swept step runs a deterministic toy objective (see <see cref="ToyAttempt"/>): the loss
/// falls with every step and is lowest at x = 0.3, y = 2. The <c>prep</c> step's output feeds the command,
/// so every trial is re-planned against upstream results.
/// </summary>
internal static class ToyPipeline
{
    public const string StepName = "train";

    public static string Yaml(string sweepBlock) => $$$"""
        name: toy
        parameters:
          x: { type: number, default: 0.5 }
          y: { type: int, default: 1 }
          steps: { type: int, default: 6 }
          fail_above: { type: number, default: 100 }
          optimizer_momentum: { type: number, default: 0.9 }
        steps:
          prep:
            command: echo prep
            outputs:
              scale: number
          train:
            command: toy --x ${{ params.x }} --y ${{ params.y }} --steps ${{ params.steps }} --fail-above ${{ params.fail_above }} --scale ${{ steps.prep.outputs.scale }}
            outputs:
              loss: number
            sweep:
              {{{Indent(sweepBlock, 6)}}}
        """;

    /// <summary>The loss a trial logs at <paramref name="step"/> (0-based).</summary>
    public static double Loss(double x, long y, double scale, int step) =>
        (((x - 0.3) * (x - 0.3)) + (0.1 * (y - 2) * (y - 2)) + 0.05) * scale * (1 + (2.0 / (step + 1)));

    public static SweepStepInput Input(string sweepBlock, string runId, TrackingContext? tracking, IReadOnlyDictionary<string, PipelineValue>? parameters = null) => new()
    {
        Base = new StepAttemptInput
        {
            RunId = runId,
            Pipeline = "toy",
            PackageVersion = "v1",
            StepKey = StepName,
            Command = "(resolved per trial)",
            BlobPrefix = $"{runId}/{StepName}/attempt-1",
            Tracking = tracking,
        },
        Parameters = parameters ?? new Dictionary<string, PipelineValue>
        {
            ["x"] = PipelineValue.FromNumber(0.5),
            ["y"] = PipelineValue.FromInt(1),
            ["steps"] = PipelineValue.FromInt(6),
            ["fail_above"] = PipelineValue.FromNumber(100),
            ["optimizer_momentum"] = PipelineValue.FromNumber(0.9),
        },
        UpstreamResults = new Dictionary<string, StepResult>
        {
            ["prep"] = StepResult.Succeeded(values: new Dictionary<string, PipelineValue> { ["scale"] = PipelineValue.FromNumber(1.0) }),
        },
        DefinitionYaml = Yaml(sweepBlock),
        DefinitionFile = "pipelines/toy/pipeline.yaml",
    };

    private static string Indent(string text, int spaces)
    {
        var pad = new string(' ', spaces);
        return string.Join("\n", text.Trim('\n').Split('\n').Select((l, i) => (i == 0 ? string.Empty : pad) + l));
    }

    public static double Arg(string command, string name)
    {
        var parts = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var i = Array.IndexOf(parts, "--" + name);
        return double.Parse(parts[i + 1], CultureInfo.InvariantCulture);
    }
}
