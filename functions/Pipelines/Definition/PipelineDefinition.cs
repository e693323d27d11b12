using YamlDotNet.RepresentationModel;

namespace Serverless.Pipelines.Definition;

/// <summary>A validated pipeline: what <see cref="Parsing.PipelineParser"/> and <see cref="Building.PipelineBuilder"/> produce.</summary>
public sealed record PipelineDefinition
{
    /// <summary>The pipeline's name (lowercase letters, digits and dashes).</summary>
    public required string Name { get; init; }

    /// <summary>Free text for humans.</summary>
    public string? Description { get; init; }

    /// <summary>Parameters in declaration order.</summary>
    public IReadOnlyList<ParameterDefinition> Parameters { get; init; } = [];

    /// <summary>Steps in declaration order.</summary>
    public IReadOnlyList<StepDefinition> Steps { get; init; } = [];

    /// <summary>A command run once when the package is built (in the pipeline folder, with <c>$SERVERLESS_BUILD_OUTPUT</c> set).</summary>
    public string? Build { get; init; }

    /// <summary>
    /// Files and folders outside the pipeline folder that <see cref="Build"/> reads (<c>build.inputs</c>); their
    /// content is digested into the package version.
    /// </summary>
    public IReadOnlyList<BuildInput> BuildInputs { get; init; } = [];

    /// <summary>The runtime/image the step code needs.</summary>
    public EnvironmentSpec Environment { get; init; } = new();

    /// <summary>The <c>schedules:</c> list, kept as YAML for the scheduler to interpret.</summary>
    public YamlNode? Schedules { get; init; }

    /// <summary>The file the definition was read from, or <c>&lt;code&gt;</c>.</summary>
    public string SourceFile { get; init; } = SourceMark.None.File;

    /// <summary>Finds a step by name.</summary>
    public StepDefinition? FindStep(string name) => Steps.FirstOrDefault(s => s.Name == name);

    /// <summary>Finds a parameter by name.</summary>
    public ParameterDefinition? FindParameter(string name) => Parameters.FirstOrDefault(p => p.Name == name);
}
