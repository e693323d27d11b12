using Serverless.Schedules.Definition;
using Serverless.Schedules.Launching;

namespace Serverless.Schedules.Running;

/// <summary>Input of the fire activity: an occurrence's run, and what the overlap policy needs to decide.</summary>
/// <param name="Run">The run to start.</param>
/// <param name="Overlap">The schedule's overlap policy; null starts the run whatever runs already (a manual trigger).</param>
/// <param name="PreviousRunId">The schedule's last run, if any.</param>
/// <param name="PreviousKnownRunning">True when the orchestration already knows the previous run is running (it started it in this wake-up).</param>
public sealed record FireRequest(PipelineRunRequest Run, OverlapPolicy? Overlap, string? PreviousRunId, bool PreviousKnownRunning = false);
