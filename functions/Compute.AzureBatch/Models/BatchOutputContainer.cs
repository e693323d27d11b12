namespace Serverless.Compute.AzureBatch.Models;

/// <summary>A blob container destination for output files.</summary>
public sealed class BatchOutputContainer
{
    /// <summary>The container URL.</summary>
    public required string ContainerUrl { get; set; }

    /// <summary>The blob name prefix (or blob name for a single file).</summary>
    public string? Path { get; set; }

    /// <summary>The pool identity with write access.</summary>
    public BatchIdentityReference? IdentityReference { get; set; }
}
