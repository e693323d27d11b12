namespace Serverless.Pipelines.Definition;

/// <summary>Whether a step output is an artifact (file or directory in Blob storage) or a small typed value.</summary>
public enum OutputKind
{
    /// <summary>A file or directory written to <c>$SERVERLESS_OUTPUTS/NAME</c> and uploaded to Blob storage.</summary>
    Artifact,

    /// <summary>A small typed value the step reports; see <see cref="StepOutput.ValueType"/>.</summary>
    Value,
}
