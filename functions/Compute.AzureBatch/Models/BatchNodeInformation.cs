namespace Serverless.Compute.AzureBatch.Models;

/// <summary>The node a task runs or ran on.</summary>
public sealed class BatchNodeInformation
{
    /// <summary>The pool.</summary>
    public string? PoolId { get; set; }

    /// <summary>The node.</summary>
    public string? NodeId { get; set; }

    /// <summary>The URL of the task's root directory on the node.</summary>
    public string? TaskRootDirectoryUrl { get; set; }
}
