using Serverless.Pipelines.Definition;

namespace Serverless.Pipelines.Planning;

/// <summary>A step or iteration that may start now, with everything resolved that its execution needs.</summary>
public sealed record ReadyStep
{
    /// <summary>Which step/iteration.</summary>
    public required StepKey Key { get; init; }

    /// <summary>The step's definition.</summary>
    public required StepDefinition Definition { get; init; }

    /// <summary>The command with every <c>${{ }}</c> substituted.</summary>
    public required string Command { get; init; }

    /// <summary>The step's env with every <c>${{ }}</c> substituted.</summary>
    public required IReadOnlyDictionary<string, string> Env { get; init; }

    /// <summary>The inputs, resolved.</summary>
    public required IReadOnlyList<ResolvedInput> Inputs { get; init; }

    /// <summary>The current item of a parallel-for step, else null.</summary>
    public PipelineValue? Item { get; init; }

    /// <summary>The pipeline's environment (runtime, image).</summary>
    public EnvironmentSpec Environment { get; init; } = new();
}
