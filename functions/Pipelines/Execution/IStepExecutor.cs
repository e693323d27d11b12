namespace Serverless.Pipelines.Execution;

/// <summary>
/// Runs step attempts somewhere (a local child process, an Azure Batch task). Start, observe and cancel are
/// separate so an orchestrator can start a long step, persist the handle, and come back for the result.
/// </summary>
public interface IStepExecutor
{
    /// <summary>Starts an attempt and returns at once with its handle.</summary>
    Task<StepHandle> StartAsync(StepExecutionRequest request, CancellationToken cancellationToken = default);

    /// <summary>The result if the attempt has finished, else null.</summary>
    /// <exception cref="KeyNotFoundException">The handle is unknown to this executor.</exception>
    Task<StepExecutionResult?> TryGetResultAsync(StepHandle handle, CancellationToken cancellationToken = default);

    /// <summary>Waits for the attempt to finish. Cancelling the token stops the waiting, not the attempt.</summary>
    /// <exception cref="KeyNotFoundException">The handle is unknown to this executor.</exception>
    Task<StepExecutionResult> WaitAsync(StepHandle handle, CancellationToken cancellationToken = default);

    /// <summary>Cancels the attempt (the result then has <see cref="Planning.FailureKind.Cancelled"/>). No-op once finished.</summary>
    /// <exception cref="KeyNotFoundException">The handle is unknown to this executor.</exception>
    Task CancelAsync(StepHandle handle, CancellationToken cancellationToken = default);
}
