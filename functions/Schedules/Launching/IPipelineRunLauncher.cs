namespace Serverless.Schedules.Launching;

/// <summary>
/// Starts, inspects and cancels pipeline runs for schedules. Called from activities, so implementations
/// may do I/O; every method must be idempotent because activities run at least once.
/// </summary>
public interface IPipelineRunLauncher
{
    /// <summary>Starts the run with <see cref="PipelineRunRequest.RunId"/> unless a run with that id exists.</summary>
    /// <returns>True when this call started it; false when the run already existed (which counts as done).</returns>
    Task<bool> StartAsync(PipelineRunRequest request, CancellationToken cancellationToken = default);

    /// <summary>Whether the run is still running.</summary>
    Task<PipelineRunState> GetStateAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>Asks the run to stop; a finished or unknown run is left alone.</summary>
    Task CancelAsync(string runId, CancellationToken cancellationToken = default);
}
