using Serverless.Schedules.Calculation;
using Serverless.Schedules.Definition;

namespace Serverless.Schedules.Tests;

public class ScheduleCalculatorTests
{
    private static DateTime Utc(int y, int mo, int d, int h = 0, int mi = 0, int s = 0) => new(y, mo, d, h, mi, s, DateTimeKind.Utc);

    private static ScheduleDefinition Schedule(string cron, string zone = "UTC", CatchUpPolicy? catchUp = null, DateTimeOffset? start = null, DateTimeOffset? end = null) =>
        new() { Name = "s", Cron = cron, TimeZone = zone, CatchUp = catchUp ?? CatchUpPolicy.None, Start = start, End = end };

    [Fact]
    public void NextOccurrences_SixFields_IncludeSeconds()
    {
        var next = ScheduleCalculator.NextOccurrences(Schedule("*/2 * * * * *"), Utc(2026, 3, 1, 12, 0, 1), 3);

        Assert.Equal([Utc(2026, 3, 1, 12, 0, 2), Utc(2026, 3, 1, 12, 0, 4), Utc(2026, 3, 1, 12, 0, 6)], next);
    }

    [Fact]
    public void NextOccurrences_FiveFields_AreMinutes()
    {
        var next = ScheduleCalculator.NextOccurrences(Schedule("15 */6 * * *"), Utc(2026, 3, 1, 0, 15, 0), 2);

        Assert.Equal([Utc(2026, 3, 1, 6, 15, 0), Utc(2026, 3, 1, 12, 15, 0)], next);
    }

    [Fact]
    public void NextOccurrences_TimeZone_FollowsWallClockAcrossDst()
    {
        // 03:00 New York: EST (UTC-5) before 8 March 2026, EDT (UTC-4) after.
        var next = ScheduleCalculator.NextOccurrences(Schedule("0 3 * * *", "America/New_York"), Utc(2026, 3, 7, 0, 0, 0), 3);

        Assert.Equal([Utc(2026, 3, 7, 8, 0, 0), Utc(2026, 3, 8, 7, 0, 0), Utc(2026, 3, 9, 7, 0, 0)], next);
    }

    [Fact]
    public void NextOccurrences_InDstGap_FireOnceAtTheTransition()
    {
        // Berlin skips 02:00-03:00 on 29 March 2026; a 02:30 schedule fires at 03:00 CEST (01:00 UTC) that day.
        var next = ScheduleCalculator.NextOccurrences(Schedule("0 30 2 * * *", "Europe/Berlin"), Utc(2026, 3, 28, 12, 0, 0), 2);

        Assert.Equal([Utc(2026, 3, 29, 1, 0, 0), Utc(2026, 3, 30, 0, 30, 0)], next);
    }

    [Fact]
    public void NextOccurrences_InDstOverlap_FireOnceForAFixedTime()
    {
        // Berlin repeats 02:00-03:00 on 25 October 2026; a 02:30 schedule fires once, at the first 02:30 (CEST).
        var next = ScheduleCalculator.NextOccurrences(Schedule("0 30 2 * * *", "Europe/Berlin"), Utc(2026, 10, 24, 12, 0, 0), 2);

        Assert.Equal([Utc(2026, 10, 25, 0, 30, 0), Utc(2026, 10, 26, 1, 30, 0)], next);
    }

    [Fact]
    public void NextOccurrences_IntervalInDstOverlap_FireInBothHours()
    {
        // 02:00-03:00 Berlin happens twice on 25 October 2026 (00:00-01:00 UTC as CEST, 01:00-02:00 UTC as CET).
        var next = ScheduleCalculator.NextOccurrences(Schedule("0 */30 * * * *", "Europe/Berlin"), Utc(2026, 10, 24, 23, 59, 0), 4);

        Assert.Equal([Utc(2026, 10, 25, 0, 0, 0), Utc(2026, 10, 25, 0, 30, 0), Utc(2026, 10, 25, 1, 0, 0), Utc(2026, 10, 25, 1, 30, 0)], next);
    }

    [Fact]
    public void NextOccurrences_StartAndEnd_BoundTheList()
    {
        var schedule = Schedule("0 0 * * *", start: new DateTimeOffset(2026, 5, 3, 0, 0, 0, TimeSpan.Zero), end: new DateTimeOffset(2026, 5, 5, 0, 0, 0, TimeSpan.Zero));

        var next = ScheduleCalculator.NextOccurrences(schedule, Utc(2026, 1, 1), 10);

        Assert.Equal([Utc(2026, 5, 3), Utc(2026, 5, 4), Utc(2026, 5, 5)], next);
        Assert.Null(ScheduleCalculator.NextOccurrence(schedule, Utc(2026, 5, 5)));
    }

    [Fact]
    public void Due_OnTime_FiresTheOneOccurrence()
    {
        var due = ScheduleCalculator.Due(Schedule("0 0 * * * *"), Utc(2026, 1, 1, 10, 0, 0), Utc(2026, 1, 1, 11, 0, 1));

        Assert.Equal([Utc(2026, 1, 1, 11, 0, 0)], due.ToFire);
        Assert.Equal(0, due.Missed);
    }

    [Fact]
    public void Due_NothingBetween_FiresNothing()
    {
        var due = ScheduleCalculator.Due(Schedule("0 0 * * * *"), Utc(2026, 1, 1, 10, 0, 0), Utc(2026, 1, 1, 10, 59, 59));

        Assert.Empty(due.ToFire);
    }

    [Fact]
    public void Due_CatchUpNone_AfterDowntime_DropsEverything()
    {
        // Down from 10:00 to 15:30: occurrences 11..15 passed; the latest is 30 minutes old, beyond the grace.
        var due = ScheduleCalculator.Due(Schedule("0 0 * * * *"), Utc(2026, 1, 1, 10, 0, 0), Utc(2026, 1, 1, 15, 30, 0));

        Assert.Empty(due.ToFire);
        Assert.Equal(5, due.Missed);
    }

    [Fact]
    public void Due_CatchUpNone_LateWithinGrace_StillFires()
    {
        var due = ScheduleCalculator.Due(Schedule("0 0 * * * *"), Utc(2026, 1, 1, 10, 0, 0), Utc(2026, 1, 1, 11, 0, 40), grace: TimeSpan.FromMinutes(1));

        Assert.Equal([Utc(2026, 1, 1, 11, 0, 0)], due.ToFire);
    }

    [Fact]
    public void Due_CatchUpLatest_FiresOnlyTheMostRecent()
    {
        var due = ScheduleCalculator.Due(Schedule("0 0 * * * *", catchUp: new(CatchUpMode.Latest)), Utc(2026, 1, 1, 10, 0, 0), Utc(2026, 1, 1, 15, 30, 0));

        Assert.Equal([Utc(2026, 1, 1, 15, 0, 0)], due.ToFire);
        Assert.Equal(4, due.Missed);
    }

    [Fact]
    public void Due_CatchUpAllWithinWindow_FiresThoseInsideOldestFirst()
    {
        var schedule = Schedule("0 0 * * * *", catchUp: new(CatchUpMode.All, TimeSpan.FromHours(2)));

        var due = ScheduleCalculator.Due(schedule, Utc(2026, 1, 1, 10, 0, 0), Utc(2026, 1, 1, 15, 30, 0));

        Assert.Equal([Utc(2026, 1, 1, 14, 0, 0), Utc(2026, 1, 1, 15, 0, 0)], due.ToFire);
        Assert.Equal(3, due.Missed);
    }

    [Fact]
    public void Due_CatchUpAllWithoutWindow_IsCappedToTheNewest()
    {
        var schedule = Schedule("0 * * * * *", catchUp: new(CatchUpMode.All));

        var due = ScheduleCalculator.Due(schedule, Utc(2026, 1, 1, 0, 0, 0), Utc(2026, 1, 2, 0, 0, 0), maxCatchUp: 3);

        Assert.Equal([Utc(2026, 1, 1, 23, 58, 0), Utc(2026, 1, 1, 23, 59, 0), Utc(2026, 1, 2, 0, 0, 0)], due.ToFire);
        Assert.Equal(1440 - 3, due.Missed);
    }

    [Fact]
    public void Due_OutsideStartEnd_FiresNothing()
    {
        var schedule = Schedule("0 0 * * * *", catchUp: new(CatchUpMode.All), end: new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));

        var due = ScheduleCalculator.Due(schedule, Utc(2026, 1, 1, 10, 30, 0), Utc(2026, 1, 1, 15, 0, 0));

        Assert.Equal([Utc(2026, 1, 1, 11, 0, 0), Utc(2026, 1, 1, 12, 0, 0)], due.ToFire);
    }

    [Theory]
    [InlineData(OverlapPolicy.Skip, false, OverlapAction.Start)]
    [InlineData(OverlapPolicy.Queue, false, OverlapAction.Start)]
    [InlineData(OverlapPolicy.CancelPrevious, false, OverlapAction.Start)]
    [InlineData(OverlapPolicy.Skip, true, OverlapAction.Skip)]
    [InlineData(OverlapPolicy.Queue, true, OverlapAction.Queue)]
    [InlineData(OverlapPolicy.CancelPrevious, true, OverlapAction.CancelPreviousAndStart)]
    public void DecideOverlap_PolicyAndPreviousRun_GiveTheAction(OverlapPolicy policy, bool running, OverlapAction expected) =>
        Assert.Equal(expected, ScheduleCalculator.DecideOverlap(policy, running));

    [Fact]
    public void CronSchedule_TryParse_ExplainsBadInput()
    {
        Assert.False(CronSchedule.TryParse("1 2", "UTC", out _, out var fields));
        Assert.Contains("has 2 field(s)", fields, StringComparison.Ordinal);
        Assert.False(CronSchedule.TryParse("0 0 * * *", "Atlantis/Capital", out _, out var zone));
        Assert.Contains("unknown time zone 'Atlantis/Capital'", zone, StringComparison.Ordinal);
    }
}
