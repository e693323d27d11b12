namespace Serverless.Compute.AzureBatch.Models;

/// <summary>The container a task ran in.</summary>
public sealed class BatchTaskContainerInfo
{
    /// <summary>The container id.</summary>
    public string? ContainerId { get; set; }

    /// <summary>The container's state as Docker reports it.</summary>
    public string? State { get; set; }

    /// <summary>Docker's error, if any.</summary>
    public string? Error { get; set; }
}
