namespace Serverless.Schedules.Running;

/// <summary>The control events a schedule orchestration accepts.</summary>
public enum ScheduleControlKind
{
    /// <summary>Stop firing until resumed.</summary>
    Pause,

    /// <summary>Fire again from now on; occurrences during the pause are not caught up.</summary>
    Resume,

    /// <summary>Start a run now, outside the cron, with the given run id.</summary>
    Trigger,

    /// <summary>Replace the definition (and pinned version) after an apply.</summary>
    Update,

    /// <summary>Stop for good and remove the schedule's listing row.</summary>
    Delete,
}
