using Serverless.Pipelines.Definition;

namespace Serverless.Pipelines.Attempts;

/// <summary>
/// Reads the stdout/stderr of step attempts that a compute target keeps itself (Batch: files on the node while the
/// task runs, uploaded blobs afterwards). The pipelines API serves logs of steps on <see cref="Compute"/> through it;
/// local steps need none, their logs are append blobs the executor writes.
/// </summary>
public interface IStepLogSource
{
    /// <summary>The compute target whose attempts this source reads.</summary>
    ComputeTarget Compute { get; }

    /// <summary>Reads a byte range of an attempt's log.</summary>
    /// <param name="runId">The pipeline run id.</param>
    /// <param name="stepKey">The step key, <c>train</c> or <c>train[2]</c>.</param>
    /// <param name="attempt">The attempt number, from 1.</param>
    /// <param name="stderr">True for stderr, false for stdout.</param>
    /// <param name="offset">The first byte to read.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The chunk, or null when the attempt is unknown to the target (not submitted yet, or not its attempt).</returns>
    Task<StepLogChunk?> ReadAsync(string runId, string stepKey, int attempt, bool stderr, long offset, CancellationToken cancellationToken = default);
}
