using Serverless.Pipelines.Definition;

namespace Serverless.Pipelines.Parsing;

/// <summary>The outcome of parsing and validating a pipeline file.</summary>
/// <param name="Definition">The definition, or null when there is any problem (nothing may run then).</param>
/// <param name="Diagnostics">Every problem found, ordered by position.</param>
public sealed record PipelineParseResult(PipelineDefinition? Definition, IReadOnlyList<PipelineDiagnostic> Diagnostics)
{
    /// <summary>True when there are no problems.</summary>
    public bool IsValid => Definition is not null && Diagnostics.Count == 0;

    /// <summary>The definition, or a <see cref="PipelineValidationException"/> listing every problem.</summary>
    /// <exception cref="PipelineValidationException">The pipeline is invalid.</exception>
    public PipelineDefinition GetDefinitionOrThrow() =>
        IsValid ? Definition! : throw new PipelineValidationException(Diagnostics);
}
