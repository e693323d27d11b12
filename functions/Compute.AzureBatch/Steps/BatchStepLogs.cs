using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Serverless.Orchestration;
using Serverless.Pipelines.Attempts;
using Serverless.Storage;

namespace Serverless.Compute.AzureBatch.Steps;

/// <summary>
/// Reads a Batch step's stdout/stderr by byte range: from the node through the task file API while the task runs,
/// and from the copy uploaded to Blob (<c>PREFIX/logs/stdout.txt</c>) once it has ended. Node files vanish when
/// autoscale removes the node, so after the end the uploaded copy is preferred and the node is only a fallback
/// for the moment between the task's end and the upload.
/// </summary>
/// <remarks>
/// Tail a log by calling again with <see cref="BatchLogChunk.NextOffset"/> until <see cref="BatchLogChunk.Finished"/>
/// and an empty chunk. Offsets are the same in both sources, since the upload is the node's file.
/// </remarks>
public sealed class BatchStepLogs
{
    /// <summary>The largest chunk one call returns unless asked for less.</summary>
    public const int DefaultMaxBytes = 64 * 1024;

    private readonly BatchClient _client;
    private readonly BlobServiceClient _blobs;
    private readonly OrchestrationClient _orchestrations;

    /// <summary>Creates the service.</summary>
    public BatchStepLogs(BatchClient client, StorageClients storage, OrchestrationClient orchestrations)
    {
        ArgumentNullException.ThrowIfNull(storage);
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _orchestrations = orchestrations ?? throw new ArgumentNullException(nameof(orchestrations));
        _blobs = storage.Blobs;
    }

    /// <summary>The task file name of a stream: <c>stdout.txt</c> or <c>stderr.txt</c>.</summary>
    public static string FileName(BatchLogFile stream) => stream == BatchLogFile.Stderr ? "stderr.txt" : "stdout.txt";

    /// <summary>
    /// Reads a log of a pipeline step attempt that runs on Batch, found through its sub-orchestration instance
    /// (<see cref="StepAttempts.InstanceId"/>) and the task it published in its custom status.
    /// </summary>
    /// <param name="runId">The pipeline run id.</param>
    /// <param name="stepKey">The step key, <c>train</c> or <c>train[2]</c>.</param>
    /// <param name="attempt">The attempt number, from 1.</param>
    /// <param name="stream">Stdout or stderr.</param>
    /// <param name="offset">The first byte to read.</param>
    /// <param name="maxBytes">At most this many bytes.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The chunk, or null when no such attempt has been submitted to Batch (unknown, local, or not yet submitted).</returns>
    public async Task<BatchLogChunk?> ReadAsync(
        string runId, string stepKey, int attempt, BatchLogFile stream, long offset = 0, int maxBytes = DefaultMaxBytes, CancellationToken cancellationToken = default)
    {
        var instance = await _orchestrations.GetInstanceAsync(StepAttempts.InstanceId(runId, stepKey, attempt), fetchInputsAndOutputs: true, cancellationToken);
        if (instance is null || !string.Equals(instance.Name, StepAttempts.BatchOrchestration, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var status = instance.ReadCustomStatusAs<BatchAttemptStatus>();
        if (status is null)
        {
            return null;
        }

        var finished = instance.RuntimeStatus.IsTerminal() || status.State == "completed";
        return await ReadAsync(status, finished, stream, offset, maxBytes, cancellationToken);
    }

    /// <summary>Reads a log of a known task.</summary>
    /// <param name="location">The attempt's task and blob prefix (the orchestration's custom status).</param>
    /// <param name="finished">Whether the task has ended (then the uploaded copy is read first).</param>
    /// <param name="stream">Stdout or stderr.</param>
    /// <param name="offset">The first byte to read.</param>
    /// <param name="maxBytes">At most this many bytes.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    public async Task<BatchLogChunk> ReadAsync(
        BatchAttemptStatus location, bool finished, BatchLogFile stream, long offset = 0, int maxBytes = DefaultMaxBytes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(location);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        var chunk = finished
            ? await FromBlobAsync(location, stream, offset, maxBytes, cancellationToken) ?? await FromNodeAsync(location, stream, offset, maxBytes, cancellationToken)
            : await FromNodeAsync(location, stream, offset, maxBytes, cancellationToken) ?? await FromBlobAsync(location, stream, offset, maxBytes, cancellationToken);
        return (chunk ?? new BatchLogChunk(offset, ReadOnlyMemory<byte>.Empty, BatchLogSource.None, false)) with { Finished = finished };
    }

    private async Task<BatchLogChunk?> FromNodeAsync(BatchAttemptStatus location, BatchLogFile stream, long offset, int maxBytes, CancellationToken cancellationToken)
    {
        try
        {
            var read = await _client.ReadTaskFileAsync(location.JobId, location.TaskId, FileName(stream), offset, maxBytes, cancellationToken);
            return new BatchLogChunk(read.Offset, read.Content, BatchLogSource.Node, false);
        }
        catch (BatchException ex) when (ex.Status is 404 or 409)
        {
            // Not started yet (no node), the node is gone, or the job/task was deleted.
            return null;
        }
    }

    private async Task<BatchLogChunk?> FromBlobAsync(BatchAttemptStatus location, BatchLogFile stream, long offset, int maxBytes, CancellationToken cancellationToken)
    {
        var blob = _blobs.GetBlobContainerClient(location.ArtifactContainer)
            .GetBlobClient($"{location.BlobPrefix}/logs/{FileName(stream)}");
        try
        {
            var content = await blob.DownloadContentAsync(new BlobDownloadOptions { Range = new HttpRange(offset, maxBytes) }, cancellationToken);
            return new BatchLogChunk(offset, content.Value.Content.ToMemory(), BatchLogSource.Blob, false);
        }
        catch (RequestFailedException ex) when (ex.Status == 416)
        {
            return new BatchLogChunk(offset, ReadOnlyMemory<byte>.Empty, BatchLogSource.Blob, false);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }
}
