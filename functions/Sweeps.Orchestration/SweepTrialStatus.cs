namespace Serverless.Sweeps.Orchestration;

/// <summary>A trial's status as the leaderboard shows it.</summary>
public enum SweepTrialStatus
{
    /// <summary>Started and not finished.</summary>
    Running,

    /// <summary>Ran to the end with a metric value.</summary>
    Succeeded,

    /// <summary>Failed, could not be planned, or reported no metric; counts toward the failure limit.</summary>
    Failed,

    /// <summary>Stopped early by the stopping rule; its value is the last one it logged.</summary>
    Stopped,

    /// <summary>Cancelled because the sweep or the pipeline run was stopped, or the time budget ran out.</summary>
    Cancelled,
}
