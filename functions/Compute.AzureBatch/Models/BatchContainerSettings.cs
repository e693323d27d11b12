namespace Serverless.Compute.AzureBatch.Models;

/// <summary>How the task's container is created; required on pools with a container configuration.</summary>
public sealed class BatchContainerSettings
{
    /// <summary>The full image reference, e.g. <c>myacr.azurecr.io/trainer:1.4.0</c>.</summary>
    public required string ImageName { get; set; }

    /// <summary>Extra <c>docker create</c> options, e.g. <c>--rm --shm-size=8g</c>.</summary>
    public string? ContainerRunOptions { get; set; }

    /// <summary>The registry, when the image is private.</summary>
    public BatchContainerRegistry? Registry { get; set; }

    /// <summary><c>taskWorkingDirectory</c> (the default used here) or <c>containerImageDefault</c>.</summary>
    public string? WorkingDirectory { get; set; }
}
