namespace Serverless.Compute.AzureBatch.Steps;

/// <summary>Where a log chunk was read from.</summary>
public enum BatchLogSource
{
    /// <summary>Nothing to read yet: the task has not started, or its files are gone and were not uploaded.</summary>
    None,

    /// <summary>The task's file on its node (task file API), while it runs or shortly after.</summary>
    Node,

    /// <summary>The copy uploaded to Blob storage when the task completed.</summary>
    Blob,
}
