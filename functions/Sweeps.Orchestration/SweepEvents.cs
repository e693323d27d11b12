namespace Serverless.Sweeps.Orchestration;

/// <summary>Names of the orchestrations, activities and external events of a swept step.</summary>
public static class SweepEvents
{
    /// <summary>
    /// Stops the sweep: no new trial starts, and the sweep returns the best trial once the running ones end.
    /// Payload: <see cref="SweepStopRequest"/>.
    /// </summary>
    public const string Stop = "Sweeps.Stop";

    /// <summary>Pauses the sweep: no new trial starts until <see cref="Resume"/>; running trials go on.</summary>
    public const string Pause = "Sweeps.Pause";

    /// <summary>Resumes a paused sweep.</summary>
    public const string Resume = "Sweeps.Resume";

    /// <summary>Activity: the next parameter suggestions.</summary>
    internal const string SuggestActivity = "Sweeps.Suggest";

    /// <summary>Activity: creates (or finds) the sweep's own tracking run when the step has none.</summary>
    internal const string StartSweepRunActivity = "Sweeps.StartSweepRun";

    /// <summary>Activity: creates (or finds) a trial's tracking child run.</summary>
    internal const string StartTrialRunActivity = "Sweeps.StartTrialRun";

    /// <summary>Activity: reads trials' intermediate metric histories from tracking.</summary>
    internal const string ReadProgressActivity = "Sweeps.ReadProgress";

    /// <summary>Activity: marks a trial's tracking run finished, failed or killed.</summary>
    internal const string FinishTrialRunActivity = "Sweeps.FinishTrialRun";

    /// <summary>Activity: records the sweep's outcome (best trial's params and value) on the sweep run.</summary>
    internal const string FinishSweepRunActivity = "Sweeps.FinishSweepRun";

    /// <summary>The instance id of trial <paramref name="number"/> of the sweep <paramref name="sweepInstanceId"/>.</summary>
    public static string TrialInstanceId(string sweepInstanceId, int number) => $"{sweepInstanceId}:trial-{number}";
}
