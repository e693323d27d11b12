using Serverless.Schedules.Definition;

namespace Serverless.Schedules.Calculation;

/// <summary>
/// Pure schedule arithmetic: next occurrences in a time zone within the start/end bounds, which
/// occurrences fire after a wake-up (catch-up), and the overlap decision. Every method takes the current
/// time as an argument, so orchestrations call it deterministically and tests need no clock.
/// </summary>
public static class ScheduleCalculator
{
    /// <summary>How late an occurrence may fire and still count as on time when catch-up is <c>none</c>.</summary>
    public static readonly TimeSpan DefaultGrace = TimeSpan.FromMinutes(1);

    /// <summary>The most occurrences one wake-up fires, so a long outage with <c>all</c> cannot flood the platform.</summary>
    public const int DefaultMaxCatchUp = 50;

    /// <summary>The next <paramref name="count"/> occurrences strictly after <paramref name="afterUtc"/>, within the schedule's bounds.</summary>
    public static IReadOnlyList<DateTime> NextOccurrences(ScheduleDefinition schedule, DateTime afterUtc, int count)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var cron = CronSchedule.Parse(schedule.Cron, schedule.TimeZone);
        var result = new List<DateTime>(count);
        var cursor = LowerBound(schedule, afterUtc);
        while (result.Count < count && cron.Next(cursor) is { } next && InBounds(schedule, next))
        {
            result.Add(next);
            cursor = next;
        }

        return result;
    }

    /// <summary>The next occurrence strictly after <paramref name="afterUtc"/>, or null when the schedule has ended.</summary>
    public static DateTime? NextOccurrence(ScheduleDefinition schedule, DateTime afterUtc) =>
        NextOccurrences(schedule, afterUtc, 1) is [var next] ? next : null;

    /// <summary>
    /// Decides which occurrences in (<paramref name="sinceUtc"/>, <paramref name="nowUtc"/>] fire. Normally there
    /// is one, the occurrence the timer waited for; after downtime there may be many, and the catch-up policy
    /// picks: <c>none</c> fires only an occurrence not older than <paramref name="grace"/>, <c>latest</c> the most
    /// recent, <c>all</c> every one within the window (at most <paramref name="maxCatchUp"/>, the newest).
    /// </summary>
    public static DueOccurrences Due(ScheduleDefinition schedule, DateTime sinceUtc, DateTime nowUtc, TimeSpan? grace = null, int maxCatchUp = DefaultMaxCatchUp)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        if (nowUtc <= sinceUtc)
        {
            return DueOccurrences.Nothing;
        }

        var cron = CronSchedule.Parse(schedule.Cron, schedule.TimeZone);
        var from = LowerBound(schedule, sinceUtc);

        // An outage of months on a per-second cron must not enumerate millions of occurrences: keep only the
        // newest ones the policies can use, and count the rest.
        var keep = Math.Max(maxCatchUp, 1);
        var window = new Queue<DateTime>(keep);
        var total = 0;
        foreach (var occurrence in cron.Between(from, nowUtc))
        {
            if (!InBounds(schedule, occurrence))
            {
                continue;
            }

            total++;
            if (window.Count == keep)
            {
                window.Dequeue();
            }

            window.Enqueue(occurrence);
        }

        if (total == 0)
        {
            return DueOccurrences.Nothing;
        }

        var candidates = window.ToList();
        var latest = candidates[^1];
        List<DateTime> fire = schedule.CatchUp.Mode switch
        {
            CatchUpMode.Latest => [latest],
            CatchUpMode.All => schedule.CatchUp.Window is { } w ? candidates.Where(o => o >= nowUtc - w).ToList() : candidates,
            _ => nowUtc - latest <= (grace ?? DefaultGrace) ? [latest] : [],
        };
        return new DueOccurrences(fire, total - fire.Count);
    }

    /// <summary>The overlap decision for an occurrence when the previous run is (or is not) still running.</summary>
    public static OverlapAction DecideOverlap(OverlapPolicy policy, bool previousRunning) =>
        !previousRunning ? OverlapAction.Start : policy switch
        {
            OverlapPolicy.Queue => OverlapAction.Queue,
            OverlapPolicy.CancelPrevious => OverlapAction.CancelPreviousAndStart,
            _ => OverlapAction.Skip,
        };

    /// <summary>Whether an occurrence lies within the schedule's start/end bounds (both inclusive).</summary>
    public static bool InBounds(ScheduleDefinition schedule, DateTime occurrenceUtc)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var at = new DateTimeOffset(DateTime.SpecifyKind(occurrenceUtc, DateTimeKind.Utc));
        return (schedule.Start is not { } s || at >= s) && (schedule.End is not { } e || at <= e);
    }

    // Searching from just before the start date finds an occurrence exactly at the start.
    private static DateTime LowerBound(ScheduleDefinition schedule, DateTime afterUtc) =>
        schedule.Start is { } s && s.UtcDateTime.AddTicks(-1) > afterUtc ? s.UtcDateTime.AddTicks(-1) : afterUtc;
}
