namespace Serverless.Pipelines.Definition;

/// <summary>A named input of a step.</summary>
public sealed record StepInput
{
    /// <summary>The input's name (an identifier); artifacts land in <c>inputs/NAME</c> in the step's working directory.</summary>
    public required string Name { get; init; }

    /// <summary>Where it comes from.</summary>
    public required InputSource Source { get; init; }

    /// <summary>
    /// The template: for <see cref="InputSource.StepOutput"/> the reference expression, for
    /// <see cref="InputSource.Uri"/> the URI (may contain <c>${{ }}</c>), for <see cref="InputSource.Value"/>
    /// the value's template (a literal is rendered as its text).
    /// </summary>
    public required string Template { get; init; }

    /// <summary>For value inputs, the declared type (null: the expression's own type).</summary>
    public PipelineType? ValueType { get; init; }

    /// <summary>Where the input is declared.</summary>
    public SourceMark Mark { get; init; } = SourceMark.None;
}
