namespace Serverless.Sweeps.Orchestration;

/// <summary>The payload of the <see cref="SweepEvents.Stop"/> event.</summary>
/// <param name="CancelRunning">True to cancel the running trials; false to let them finish.</param>
public sealed record SweepStopRequest(bool CancelRunning = false);
