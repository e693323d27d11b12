namespace Serverless.Compute.AzureBatch;

/// <summary>
/// An input artifact of a step, downloaded from Blob to <c>inputs/&lt;Name&gt;</c> in the task's
/// working directory: the file itself for <see cref="BlobUrl"/>, a folder for <see cref="ContainerUrl"/>
/// (with <see cref="BlobPrefix"/>), as the local executor lays them out.
/// </summary>
public sealed class BatchStepInput
{
    /// <summary>The input's name (an identifier): the path <c>inputs/NAME</c> and variable <c>SERVERLESS_INPUT_NAME</c>.</summary>
    public required string Name { get; init; }

    /// <summary>One blob's URL.</summary>
    public string? BlobUrl { get; init; }

    /// <summary>A container's URL, for a folder of blobs.</summary>
    public string? ContainerUrl { get; init; }

    /// <summary>The folder's blob prefix inside <see cref="ContainerUrl"/>.</summary>
    public string? BlobPrefix { get; init; }

    /// <summary>
    /// For an input collected from a parallel-for step: the iteration, downloaded to <c>inputs/NAME/INDEX</c>
    /// as the local executor does. Several inputs may share a name when each has its own index.
    /// </summary>
    public int? Index { get; init; }

    /// <summary>The path below the working directory the input ends up at.</summary>
    internal string TargetPath => Index is { } i
        ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"inputs/{Name}/{i}")
        : "inputs/" + Name;
}
