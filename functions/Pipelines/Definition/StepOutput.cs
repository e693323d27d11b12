namespace Serverless.Pipelines.Definition;

/// <summary>A named output a step declares.</summary>
public sealed record StepOutput
{
    /// <summary>The output's name (an identifier).</summary>
    public required string Name { get; init; }

    /// <summary>Artifact or value.</summary>
    public required OutputKind Kind { get; init; }

    /// <summary>For value outputs, the value's type.</summary>
    public PipelineType ValueType { get; init; } = PipelineType.String;

    /// <summary>Free text for humans.</summary>
    public string? Description { get; init; }

    /// <summary>Where the output is declared.</summary>
    public SourceMark Mark { get; init; } = SourceMark.None;
}
