namespace Serverless.Compute.AzureBatch.Steps;

/// <summary>Where a step attempt runs on Batch and where its files go: all derived from the attempt, so stable.</summary>
/// <param name="PoolId">The pool the task runs on.</param>
/// <param name="JobId">The run's job on that pool (<see cref="BatchIds.ForJob(string, string)"/>).</param>
/// <param name="TaskId">The attempt's task (<see cref="BatchIds.ForTask"/>).</param>
/// <param name="ArtifactContainer">The blob container of outputs and logs.</param>
/// <param name="BlobPrefix">The attempt's prefix in it: <c>PREFIX/outputs/…</c> and <c>PREFIX/logs/…</c>.</param>
public sealed record BatchStepTarget(string PoolId, string JobId, string TaskId, string ArtifactContainer, string BlobPrefix)
{
    /// <summary>The blob names of the uploaded stdout and stderr (written when the task completes).</summary>
    public IReadOnlyList<string> LogBlobs => [LogBlob(BatchLogFile.Stdout), LogBlob(BatchLogFile.Stderr)];

    /// <summary>The blob an output of the step is uploaded to (a file), or the prefix of its files (a folder).</summary>
    public string OutputBlob(string name) => $"{BlobPrefix}/outputs/{name}";

    /// <summary>The blob one of the task's logs is uploaded to.</summary>
    public string LogBlob(BatchLogFile stream) => $"{BlobPrefix}/logs/{BatchStepLogs.FileName(stream)}";
}
