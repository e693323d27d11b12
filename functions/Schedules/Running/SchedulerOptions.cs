namespace Serverless.Schedules.Running;

/// <summary>Tuning of the schedule orchestrations and the listing table (<c>Serverless:Schedules</c>).</summary>
public sealed class SchedulerOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Serverless:Schedules";

    /// <summary>The table that lists schedules.</summary>
    public string TableName { get; set; } = "schedules";

    /// <summary>How late an occurrence may fire and still count as on time with catch-up <c>none</c>.</summary>
    public TimeSpan Grace { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The most runs one wake-up starts when catching up.</summary>
    public int MaxCatchUp { get; set; } = 50;

    /// <summary>The most occurrences held back by overlap policy <c>queue</c>; older ones are dropped beyond it.</summary>
    public int MaxQueued { get; set; } = 10;

    /// <summary>How often a schedule with queued occurrences asks whether the previous run has finished.</summary>
    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many next occurrences the listing shows.</summary>
    public int ShownOccurrences { get; set; } = 5;
}
