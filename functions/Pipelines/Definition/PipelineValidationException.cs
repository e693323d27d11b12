namespace Serverless.Pipelines.Definition;

/// <summary>Thrown when a pipeline definition is invalid; carries every problem found, not just the first.</summary>
public sealed class PipelineValidationException : Exception
{
    /// <summary>Creates the exception for <paramref name="diagnostics"/>.</summary>
    public PipelineValidationException(IReadOnlyList<PipelineDiagnostic> diagnostics)
        : base(Format(diagnostics))
    {
        Diagnostics = diagnostics;
    }

    /// <summary>All problems, in file order.</summary>
    public IReadOnlyList<PipelineDiagnostic> Diagnostics { get; }

    private static string Format(IReadOnlyList<PipelineDiagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        return $"the pipeline definition has {diagnostics.Count} problem(s):{Environment.NewLine}" +
            string.Join(Environment.NewLine, diagnostics.Select(d => d.ToString()));
    }
}
