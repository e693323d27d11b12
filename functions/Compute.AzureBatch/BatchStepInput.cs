namespace Serverless.Compute.AzureBatch;

/// <summary>
/// An input artifact of a step, downloaded from Blob into <c>inputs/&lt;Name&gt;</c> of the task's
/// working directory. Set <see cref="BlobUrl"/> for one blob, or <see cref="ContainerUrl"/> (with
/// <see cref="BlobPrefix"/>) for a folder.
/// </summary>
public sealed class BatchStepInput
{
    /// <summary>The input's name, a folder under <c>inputs/</c>.</summary>
    public required string Name { get; init; }

    /// <summary>One blob's URL.</summary>
    public string? BlobUrl { get; init; }

    /// <summary>A container's URL, for a folder of blobs.</summary>
    public string? ContainerUrl { get; init; }

    /// <summary>The folder's blob prefix inside <see cref="ContainerUrl"/>.</summary>
    public string? BlobPrefix { get; init; }
}
