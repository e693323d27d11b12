namespace Serverless.Compute.AzureBatch.Models;

/// <summary>A task file's size and times.</summary>
public sealed class BatchNodeFileProperties
{
    /// <summary>The size in bytes.</summary>
    public long ContentLength { get; set; }

    /// <summary>The MIME type.</summary>
    public string? ContentType { get; set; }

    /// <summary>When the file was created.</summary>
    public DateTimeOffset? CreationTime { get; set; }

    /// <summary>When it was last modified.</summary>
    public DateTimeOffset? LastModified { get; set; }
}
