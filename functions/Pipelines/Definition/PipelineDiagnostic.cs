namespace Serverless.Pipelines.Definition;

/// <summary>One problem found in a pipeline definition.</summary>
/// <param name="Mark">Where the problem is.</param>
/// <param name="Message">What is wrong, in words a user can act on.</param>
public sealed record PipelineDiagnostic(SourceMark Mark, string Message)
{
    /// <summary>Formats as <c>file:line:column: message</c>.</summary>
    public override string ToString() => $"{Mark}: {Message}";
}
