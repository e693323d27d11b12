namespace Serverless.Compute.AzureBatch.Models;

/// <summary>Files Batch uploads from the task directory to Blob when the task ends.</summary>
public sealed class BatchOutputFile
{
    /// <summary>A pattern relative to the task working directory; <c>../std*.txt</c> captures stdout and stderr.</summary>
    public required string FilePattern { get; set; }

    /// <summary>The destination.</summary>
    public required BatchOutputFileDestination Destination { get; set; }

    /// <summary>The upload condition.</summary>
    public required BatchOutputFileUploadOptions UploadOptions { get; set; }
}
