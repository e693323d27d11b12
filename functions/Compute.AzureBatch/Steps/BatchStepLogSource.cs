using Serverless.Pipelines.Attempts;
using Serverless.Pipelines.Definition;

namespace Serverless.Compute.AzureBatch.Steps;

/// <summary>Serves Batch steps' logs to the pipelines API: <see cref="BatchStepLogs"/> behind the pipelines contract.</summary>
public sealed class BatchStepLogSource : IStepLogSource
{
    private readonly BatchStepLogs _logs;

    /// <summary>Creates the source.</summary>
    public BatchStepLogSource(BatchStepLogs logs)
    {
        _logs = logs ?? throw new ArgumentNullException(nameof(logs));
    }

    /// <inheritdoc />
    public ComputeTarget Compute => ComputeTarget.Batch;

    /// <inheritdoc />
    public async Task<StepLogChunk?> ReadAsync(string runId, string stepKey, int attempt, bool stderr, long offset, CancellationToken cancellationToken = default)
    {
        var chunk = await _logs.ReadAsync(runId, stepKey, attempt, stderr ? BatchLogFile.Stderr : BatchLogFile.Stdout, offset, cancellationToken: cancellationToken);
        return chunk is null ? null : new StepLogChunk(chunk.Offset, chunk.Content, chunk.Finished);
    }
}
