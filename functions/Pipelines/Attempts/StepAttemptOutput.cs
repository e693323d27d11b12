using Serverless.Pipelines.Definition;

namespace Serverless.Pipelines.Attempts;

/// <summary>A declared output of a step, as an attempt needs it.</summary>
/// <param name="Name">The output name.</param>
/// <param name="Kind">An artifact (file or folder) or a small value.</param>
/// <param name="ValueType">The type of a value output.</param>
public sealed record StepAttemptOutput(string Name, OutputKind Kind, PipelineType ValueType = PipelineType.String);
