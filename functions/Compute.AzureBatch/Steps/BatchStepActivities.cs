using System.Security.Cryptography;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Serverless.Compute.AzureBatch.Models;
using Serverless.Orchestration;
using Serverless.Pipelines.Attempts;
using Serverless.Pipelines.Definition;
using Serverless.Pipelines.Packaging;
using Serverless.Pipelines.Planning;
using Serverless.Storage;

namespace Serverless.Compute.AzureBatch.Steps;

/// <summary>
/// The activities of the Batch monitor orchestration: submit, poll, collect, terminate, and the run's end. Each
/// is one short call to Batch or Blob and safe to repeat (activities run at least once): creates answer 409 on
/// a repeat, reads change nothing, terminating twice is a no-op.
/// </summary>
/// <remarks>
/// Transient failures (throttling, 5xx and network errors once the client's own retries ran out) are thrown, so
/// the orchestration's activity retry policy runs the activity again. Failures that retrying cannot fix
/// (configuration, authorization, a rejected request) come back as a result naming the problem.
/// </remarks>
public sealed class BatchStepActivities
{
    /// <summary>Ensures the run's job and the attempt's task exist.</summary>
    public const string Submit = "Pipelines.Step.Batch.Submit";

    /// <summary>Reads the task's state.</summary>
    public const string Poll = "Pipelines.Step.Batch.Poll";

    /// <summary>Reads the outputs the task uploaded.</summary>
    public const string Collect = "Pipelines.Step.Batch.Collect";

    /// <summary>Terminates the task (cancellation, or a timeout Batch did not enforce).</summary>
    public const string Terminate = "Pipelines.Step.Batch.Terminate";

    /// <summary>
    /// Closes a pipeline run's Batch jobs: sets <c>onAllTasksComplete: terminatejob</c> and terminates them. The
    /// pipeline run orchestration calls it once a run that started Batch attempts has ended, with a
    /// <see cref="ComputeRunEnd"/> (the contract's <see cref="StepAttempts.RunEndActivityFor"/>); the pools are those
    /// of the run's Batch steps.
    /// </summary>
    public const string EndRun = StepAttempts.BatchRunEndActivity;

    private readonly BatchClient _client;
    private readonly BatchOptions _options;
    private readonly BlobServiceClient _blobs;

    /// <summary>Creates the activities.</summary>
    /// <param name="client">The Batch client.</param>
    /// <param name="storage">The platform's storage, where outputs and logs are uploaded.</param>
    /// <param name="options">Pools, identity, containers.</param>
    public BatchStepActivities(BatchClient client, StorageClients storage, BatchOptions options)
    {
        ArgumentNullException.ThrowIfNull(storage);
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _blobs = storage.Blobs;
    }

    /// <summary>Adds the activities to a registry.</summary>
    public void Register(OrchestrationRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.AddActivity<StepAttemptInput, BatchSubmitResult>(Submit, (c, input) => SubmitAsync(Require(input, Submit), c.CancellationToken));
        registry.AddActivity<BatchTaskRef, BatchPollResult>(Poll, (c, input) => PollAsync(Require(input, Poll), c.CancellationToken));
        registry.AddActivity<BatchCollectInput, BatchCollectResult>(Collect, (c, input) => CollectAsync(Require(input, Collect), c.CancellationToken));
        registry.AddActivity<BatchTaskRef, bool>(Terminate, (c, input) => TerminateAsync(Require(input, Terminate), c.CancellationToken));
        registry.AddActivity<ComputeRunEnd, int>(EndRun, (c, input) =>
        {
            var end = Require(input, EndRun);
            return EndRunAsync(new BatchRunEndInput(end.RunId, BatchStepPlanner.PoolsFor(end.Steps, _options)), c.CancellationToken);
        });
    }

    /// <summary>
    /// Closes a run's jobs: <c>onAllTasksComplete: terminatejob</c>, then terminate. Jobs that do not exist or
    /// have completed are skipped.
    /// </summary>
    /// <returns>How many jobs were terminated.</returns>
    public async Task<int> EndRunAsync(BatchRunEndInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var pools = input.PoolIds is { Count: > 0 } given
            ? given
            : new[] { _options.GpuPoolId, _options.CpuPoolId }.OfType<string>().Where(p => p.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var terminated = 0;
        foreach (var pool in pools)
        {
            var jobId = BatchIds.ForJob(input.RunId, pool);
            try
            {
                // Any task still running then ends the job when it finishes, even if the terminate below is lost.
                await _client.SetJobOnAllTasksCompleteAsync(jobId, BatchOnAllTasksComplete.TerminateJob, cancellationToken);
                await _client.TerminateJobAsync(jobId, "PipelineRunEnded", cancellationToken);
                terminated++;
            }
            catch (BatchException ex) when (ex.ErrorCode is BatchErrorCodes.JobNotFound or BatchErrorCodes.JobCompleted)
            {
            }
        }

        return terminated;
    }

    internal async Task<BatchSubmitResult> SubmitAsync(StepAttemptInput attempt, CancellationToken cancellationToken)
    {
        BatchStepTarget target;
        BatchTaskSpec task;
        try
        {
            target = BatchStepPlanner.Target(attempt, _options);
            var request = BatchStepPlanner.Request(attempt, target, _options, _options.BlobEndpoint ?? _blobs.Uri);
            task = BatchStepTasks.Create(request);
        }
        catch (Exception ex) when (ex is BatchStepConfigurationException or ArgumentException)
        {
            return new BatchSubmitResult(null, false, ex.Message, false);
        }

        try
        {
            await _client.EnsureJobAsync(
                new BatchJobSpec
                {
                    Id = target.JobId,
                    DisplayName = Truncate($"pipeline {attempt.Pipeline} run {attempt.RunId}", 1024),
                    PoolInfo = new BatchPoolInformation(target.PoolId),
                },
                cancellationToken);
            var created = await _client.EnsureTaskAsync(target.JobId, task, cancellationToken);
            return new BatchSubmitResult(target, created, null, false);
        }
        catch (BatchException ex) when (IsPermanent(ex))
        {
            return new BatchSubmitResult(target, false, "Azure Batch refused the step: " + ex.Message, true);
        }
    }

    internal async Task<BatchPollResult> PollAsync(BatchTaskRef task, CancellationToken cancellationToken)
    {
        try
        {
            var read = await _client.GetTaskAsync(task.JobId, task.TaskId, cancellationToken);
            return new BatchPollResult(
                read.State,
                BatchTaskOutcomes.FromTask(read),
                read.ExecutionInfo?.StartTime,
                read.ExecutionInfo?.EndTime,
                read.NodeInfo?.NodeId,
                Missing: false);
        }
        catch (BatchException ex) when (ex.ErrorCode is BatchErrorCodes.TaskNotFound or BatchErrorCodes.JobNotFound)
        {
            return new BatchPollResult(null, null, null, null, null, Missing: true);
        }
    }

    internal async Task<bool> TerminateAsync(BatchTaskRef task, CancellationToken cancellationToken)
    {
        try
        {
            await _client.TerminateTaskAsync(task.JobId, task.TaskId, cancellationToken);
            return true;
        }
        catch (BatchException ex) when (ex.ErrorCode is BatchErrorCodes.TaskNotFound or BatchErrorCodes.JobNotFound or BatchErrorCodes.JobCompleted)
        {
            return false;
        }
    }

    internal async Task<BatchCollectResult> CollectAsync(BatchCollectInput input, CancellationToken cancellationToken)
    {
        var container = _blobs.GetBlobContainerClient(input.Target.ArtifactContainer);
        var artifacts = new Dictionary<string, ArtifactRef>(StringComparer.Ordinal);
        var values = new Dictionary<string, PipelineValue>(StringComparer.Ordinal);
        BatchCollectResult Problem(string problem) => new(artifacts, values, problem);
        JsonElement? valuesJson = null;
        var valuesText = await TryReadTextAsync(container.GetBlobClient(input.Target.OutputBlob("values.json")), cancellationToken);
        if (valuesText is not null)
        {
            try
            {
                using var doc = JsonDocument.Parse(valuesText);
                valuesJson = doc.RootElement.Clone();
            }
            catch (JsonException ex)
            {
                return Problem($"outputs/values.json is not valid JSON: {ex.Message}");
            }
        }

        foreach (var output in input.Outputs)
        {
            var blobName = input.Target.OutputBlob(output.Name);
            var typeName = output.ValueType.ToString().ToLowerInvariant();
            if (output.Kind == OutputKind.Value)
            {
                PipelineValue? value;
                if (await TryReadTextAsync(container.GetBlobClient(blobName), cancellationToken) is { } text)
                {
                    value = PipelineValue.Parse(text, output.ValueType);
                    if (value is null)
                    {
                        return Problem($"value output '{output.Name}' in outputs/{output.Name} is not a valid {typeName}");
                    }
                }
                else if (valuesJson is { ValueKind: JsonValueKind.Object } obj && obj.TryGetProperty(output.Name, out var element))
                {
                    value = PipelineValue.FromJson(element)?.CoerceTo(output.ValueType);
                    if (value is null)
                    {
                        return Problem($"value output '{output.Name}' in outputs/values.json is not a valid {typeName}");
                    }
                }
                else
                {
                    return Problem($"the step did not report value output '{output.Name}' (write it to $SERVERLESS_OUTPUTS/{output.Name} or to $SERVERLESS_OUTPUTS/values.json)");
                }

                values[output.Name] = value;
                continue;
            }

            var uri = $"blob:{container.Name}/{blobName}";
            var single = container.GetBlobClient(blobName);
            if (await DigestAsync(single, cancellationToken) is { } digest)
            {
                artifacts[output.Name] = new ArtifactRef(uri, digest.Digest);
                continue;
            }

            // A folder output: the same digest the local executor computes over its files (path, size, content).
            var files = new List<PackageFile>();
            await foreach (var item in container.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, blobName + "/", cancellationToken))
            {
                if (await DigestAsync(container.GetBlobClient(item.Name), cancellationToken) is { } file)
                {
                    files.Add(new PackageFile(item.Name[(blobName.Length + 1)..], file.Digest, file.Size, "output"));
                }
            }

            if (files.Count == 0)
            {
                return Problem($"the step did not write artifact output '{output.Name}' (expected a file or directory at $SERVERLESS_OUTPUTS/{output.Name}; nothing was uploaded to {uri})");
            }

            artifacts[output.Name] = new ArtifactRef(uri, PackageScanner.Digest(files), IsDirectory: true);
        }

        return new BatchCollectResult(artifacts, values, null);
    }

    private static bool IsPermanent(BatchException ex) =>
        ex.Status is 400 or 401 or 403 or 404 or 409 or 413;

    private static async Task<string?> TryReadTextAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        try
        {
            var content = await blob.DownloadContentAsync(cancellationToken);
            return content.Value.Content.ToString();
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    private static async Task<(string Digest, long Size)?> DigestAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        try
        {
            // Streamed, so a multi-gigabyte checkpoint is hashed without being held in memory.
            using var download = (await blob.DownloadStreamingAsync(cancellationToken: cancellationToken)).Value;
            await using var content = download.Content;
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[81920];
            long size = 0;
            int read;
            while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
            {
                sha.AppendData(buffer, 0, read);
                size += read;
            }

            return ("sha256:" + Convert.ToHexStringLower(sha.GetHashAndReset()), size);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    private static T Require<T>(T? input, string activity)
        where T : class =>
        input ?? throw new ArgumentException($"activity '{activity}' was called without an input");

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];
}
