namespace Serverless.Compute.AzureBatch.Models;

/// <summary>A file or directory in a task's directory on its node.</summary>
public sealed class BatchNodeFile
{
    /// <summary>The path relative to the task directory, e.g. <c>stdout.txt</c> or <c>wd/outputs/model.pt</c>.</summary>
    public string? Name { get; set; }

    /// <summary>The file URL.</summary>
    public string? Url { get; set; }

    /// <summary>Whether this entry is a directory.</summary>
    public bool IsDirectory { get; set; }

    /// <summary>Size and times.</summary>
    public BatchNodeFileProperties? Properties { get; set; }
}
