using Serverless.Pipelines.Definition;
using Serverless.Pipelines.Parsing;

namespace Serverless.Pipelines.Building;

/// <summary>
/// Builds a <see cref="PipelineDefinition"/> in C#, for users who prefer code to YAML. The result is
/// checked by the same <see cref="PipelineValidator"/> as a parsed file.
/// </summary>
/// <example>
/// <code>
/// var pipeline = new PipelineBuilder("demo")
///     .Parameter("lr", PipelineType.Number, 0.1)
///     .Step("train", s => s.Command("train --lr ${{ params.lr }}").ArtifactOutput("model"))
///     .Step("eval", s => s.Command("eval").Input("model", "${{ steps.train.outputs.model }}"))
///     .Build();
/// </code>
/// </example>
public sealed class PipelineBuilder
{
    private readonly string _name;
    private readonly List<ParameterDefinition> _parameters = [];
    private readonly List<StepDefinition> _steps = [];
    private string? _description;
    private string? _build;
    private IReadOnlyList<BuildInput> _buildInputs = [];
    private EnvironmentSpec _environment = new();

    /// <summary>Starts a pipeline named <paramref name="name"/>.</summary>
    public PipelineBuilder(string name)
    {
        _name = name ?? throw new ArgumentNullException(nameof(name));
    }

    /// <summary>Sets the description.</summary>
    public PipelineBuilder Description(string description)
    {
        _description = description;
        return this;
    }

    /// <summary>Declares a parameter; <paramref name="defaultValue"/> may be a string, long/int, double, bool or a sequence of those.</summary>
    public PipelineBuilder Parameter(string name, PipelineType type, object? defaultValue = null, string? description = null)
    {
        _parameters.Add(new ParameterDefinition
        {
            Name = name,
            Type = type,
            Default = defaultValue is null ? null : ToValue(defaultValue),
            Description = description,
        });
        return this;
    }

    /// <summary>Sets the package build command and the paths outside the pipeline folder that it reads.</summary>
    /// <param name="command">The shell command.</param>
    /// <param name="inputs">Files or folders relative to the pipeline folder (for example <c>../shared</c>) whose content goes into the version.</param>
    public PipelineBuilder BuildCommand(string command, params string[] inputs)
    {
        _build = command;
        _buildInputs = [.. inputs.Select(i => new BuildInput(i, SourceMark.None))];
        return this;
    }

    /// <summary>Sets the environment (local runtime and Batch image).</summary>
    public PipelineBuilder Environment(string? runtime, string? image = null)
    {
        _environment = new EnvironmentSpec { Runtime = runtime, Image = image };
        return this;
    }

    /// <summary>Adds a step configured by <paramref name="configure"/>.</summary>
    public PipelineBuilder Step(string name, Action<StepBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var builder = new StepBuilder(name);
        configure(builder);
        _steps.Add(builder.Build());
        return this;
    }

    /// <summary>Builds and validates the definition.</summary>
    /// <exception cref="PipelineValidationException">The definition has problems; all are listed.</exception>
    public PipelineDefinition Build()
    {
        var definition = new PipelineDefinition
        {
            Name = _name,
            Description = _description,
            Parameters = _parameters.ToList(),
            Steps = _steps.ToList(),
            Build = _build,
            BuildInputs = _buildInputs,
            Environment = _environment,
        };
        var problems = PipelineValidator.Validate(definition);
        return problems.Count == 0 ? definition : throw new PipelineValidationException(problems);
    }

    internal static PipelineValue ToValue(object value) => value switch
    {
        PipelineValue v => v,
        string s => PipelineValue.FromString(s),
        int i => PipelineValue.FromInt(i),
        long l => PipelineValue.FromInt(l),
        double d => PipelineValue.FromNumber(d),
        float f => PipelineValue.FromNumber(f),
        bool b => PipelineValue.FromBool(b),
        System.Collections.IEnumerable e => PipelineValue.FromList(e.Cast<object>().Select(ToValue)),
        _ => throw new ArgumentException($"unsupported value type {value.GetType().Name}", nameof(value)),
    };
}
