using Serverless.Schedules.Definition;

namespace Serverless.Schedules.Running;

/// <summary>
/// The small state a schedule orchestration carries from one execution to the next through
/// <c>ContinueAsNew</c>; nothing else survives, so the history stays a few dozen events long.
/// </summary>
public sealed record ScheduleState
{
    /// <summary>The pipeline the schedule belongs to.</summary>
    public required string Pipeline { get; init; }

    /// <summary>The pipeline version runs use; null runs the latest published version.</summary>
    public string? Version { get; set; }

    /// <summary>The schedule as declared.</summary>
    public required ScheduleDefinition Definition { get; set; }

    /// <summary>Every occurrence up to this instant (UTC) has been decided; null before the first execution.</summary>
    public DateTime? Anchor { get; set; }

    /// <summary>The occurrence the pending timer waits for, so a timer that fires early by a clock skew cannot miss it.</summary>
    public DateTime? WakeFor { get; set; }

    /// <summary>The occurrence of the last run started (UTC).</summary>
    public DateTime? LastFiredAt { get; set; }

    /// <summary>The id of the last run started, which the overlap policy asks about.</summary>
    public string? LastRunId { get; set; }

    /// <summary>Whether the schedule is paused.</summary>
    public bool Paused { get; set; }

    /// <summary>The newest pause or resume request applied (0 before any).</summary>
    public long PauseSequence { get; set; }

    /// <summary>Occurrences waiting for the previous run (overlap policy <c>queue</c>), oldest first.</summary>
    public List<DateTime> Queued { get; init; } = [];

    /// <summary>Occurrences dropped so far (catch-up policy, overlap <c>skip</c>, or a full queue).</summary>
    public long Dropped { get; set; }

    /// <summary>Runs started so far.</summary>
    public long Fired { get; set; }

    /// <summary>Why the last start, status query or cancel failed, or null when it worked.</summary>
    public string? LastError { get; set; }

    /// <summary>How many executions the schedule has had (one per wake-up).</summary>
    public long Generation { get; set; }
}
