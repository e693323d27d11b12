using Serverless.Schedules.Definition;

namespace Serverless.Schedules.Store;

/// <summary>A schedule as listed: its definition and what its orchestration last reported.</summary>
public sealed record ScheduleRecord
{
    /// <summary>The schedule id (<c>PIPELINE.NAME</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The pipeline.</summary>
    public required string Pipeline { get; init; }

    /// <summary>The pinned pipeline version, or null for the latest.</summary>
    public string? Version { get; init; }

    /// <summary>The schedule's definition.</summary>
    public required ScheduleDefinition Definition { get; init; }

    /// <summary>Whether the schedule is paused.</summary>
    public bool Paused { get; init; }

    /// <summary>
    /// The newest pause or resume request <see cref="Paused"/> reflects (requests are numbered 1, 2, … per
    /// schedule). A write carrying an older number keeps the row's flag: see <see cref="ScheduleStore.UpsertAsync"/>.
    /// </summary>
    public long PauseSequence { get; init; }

    /// <summary>The next occurrences (UTC) when the row was written.</summary>
    public IReadOnlyList<DateTime> NextOccurrences { get; init; } = [];

    /// <summary>The last run started.</summary>
    public string? LastRunId { get; init; }

    /// <summary>The occurrence of the last run started (UTC).</summary>
    public DateTime? LastFiredAt { get; init; }

    /// <summary>Runs started so far.</summary>
    public long Fired { get; init; }

    /// <summary>Occurrences dropped so far.</summary>
    public long Dropped { get; init; }

    /// <summary>Why the last start failed, or null.</summary>
    public string? LastError { get; init; }

    /// <summary>How many executions the orchestration has had (one per wake-up).</summary>
    public long Generation { get; init; }

    /// <summary>Occurrences waiting for the previous run.</summary>
    public int Queued { get; init; }
}
