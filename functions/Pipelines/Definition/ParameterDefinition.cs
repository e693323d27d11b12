namespace Serverless.Pipelines.Definition;

/// <summary>A typed pipeline parameter.</summary>
public sealed record ParameterDefinition
{
    /// <summary>The parameter's name, referenced as <c>${{ params.NAME }}</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The declared type.</summary>
    public required PipelineType Type { get; init; }

    /// <summary>The default; null makes the parameter required when a run starts.</summary>
    public PipelineValue? Default { get; init; }

    /// <summary>Free text for humans.</summary>
    public string? Description { get; init; }

    /// <summary>Where the parameter is declared.</summary>
    public SourceMark Mark { get; init; } = SourceMark.None;
}
