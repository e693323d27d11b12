using Serverless.Pipelines.Definition;
using Serverless.Pipelines.Planning;

namespace Serverless.Pipelines.Attempts;

/// <summary>
/// The input of a swept step's sub-orchestration. Trials override pipeline parameters of the same names, so
/// the sweep re-plans the step per trial: it parses <see cref="DefinitionYaml"/>, resolves
/// <see cref="Parameters"/> with the trial's values laid over them, and plans against
/// <see cref="UpstreamResults"/> (all pure, so safe inside an orchestrator).
/// </summary>
public sealed record SweepStepInput
{
    /// <summary>The step as resolved with the run's own parameters; trials copy its run, package and tracking fields.</summary>
    public required StepAttemptInput Base { get; init; }

    /// <summary>The run's resolved pipeline parameters.</summary>
    public IReadOnlyDictionary<string, PipelineValue> Parameters { get; init; } = new Dictionary<string, PipelineValue>();

    /// <summary>Results of the steps finished before this one, by step key (<c>prep</c>, <c>train[2]</c>).</summary>
    public IReadOnlyDictionary<string, StepResult> UpstreamResults { get; init; } = new Dictionary<string, StepResult>();

    /// <summary>The text of the package's <c>pipeline.yaml</c>.</summary>
    public required string DefinitionYaml { get; init; }

    /// <summary>How to name the definition file in messages.</summary>
    public string DefinitionFile { get; init; } = "pipeline.yaml";
}
