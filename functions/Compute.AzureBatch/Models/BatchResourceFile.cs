namespace Serverless.Compute.AzureBatch.Models;

/// <summary>
/// A file or blob prefix Batch downloads into the task directory before the command starts. Exactly
/// one of <see cref="HttpUrl"/>, <see cref="StorageContainerUrl"/> or <see cref="AutoStorageContainerName"/>.
/// </summary>
public sealed class BatchResourceFile
{
    /// <summary>One blob's URL.</summary>
    public string? HttpUrl { get; set; }

    /// <summary>A container's URL (with <see cref="BlobPrefix"/> to narrow it); must be listable by the identity.</summary>
    public string? StorageContainerUrl { get; set; }

    /// <summary>A container in the account's auto-storage.</summary>
    public string? AutoStorageContainerName { get; set; }

    /// <summary>Only blobs whose names start with this prefix.</summary>
    public string? BlobPrefix { get; set; }

    /// <summary>Where to put it, relative to the task working directory.</summary>
    public string? FilePath { get; set; }

    /// <summary>The pool identity with read access.</summary>
    public BatchIdentityReference? IdentityReference { get; set; }
}
