namespace Serverless.Pipelines.Definition;

/// <summary>A step's compute target and resource requests.</summary>
public sealed record ComputeSpec
{
    /// <summary>Local execution with no particular requests.</summary>
    public static ComputeSpec Local { get; } = new();

    /// <summary>The target.</summary>
    public ComputeTarget Target { get; init; } = ComputeTarget.Local;

    /// <summary>The resource requests.</summary>
    public ResourceRequest Resources { get; init; } = new();
}
