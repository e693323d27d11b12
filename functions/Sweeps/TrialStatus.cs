namespace Serverless.Sweeps;

/// <summary>Where a trial is in its life, as the samplers and the leaderboard see it.</summary>
public enum TrialStatus
{
    /// <summary>Suggested and not finished yet (a pending point for the constant liar).</summary>
    Running,

    /// <summary>Finished with a final metric value.</summary>
    Completed,

    /// <summary>Stopped early by a stopping rule; its value is the last metric it reported.</summary>
    Stopped,

    /// <summary>Failed or reported no metric; counts toward the failure limit.</summary>
    Failed,
}
