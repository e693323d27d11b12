namespace Serverless.Pipelines.Definition;

/// <summary>Where a step runs.</summary>
public enum ComputeTarget
{
    /// <summary>A child process on the orchestrating machine.</summary>
    Local,

    /// <summary>An Azure Batch task (container image, optional GPU).</summary>
    Batch,
}
