using Serverless.Schedules.Definition;
using Serverless.Schedules.Running;

namespace Serverless.Schedules.Tests;

public class ExactlyOnceTests
{
    private const string EveryTwoSeconds = "*/2 * * * * *";

    [Fact]
    public async Task TwoEngines_SameTaskHub_StartEachOccurrenceOnce()
    {
        await using var h = await ScheduleHarness.StartAsync(engines: 2);
        await h.Manager.ApplyAsync("churn", null, [ScheduleHarness.Schedule("fast", EveryTwoSeconds)]);

        await ScheduleHarness.WaitUntilAsync(() => h.StartedRunIds().Length >= 3, 90, "three runs", () => h.DescribeAsync("churn", "fast"));

        // Every start call, wherever it ran, was for a distinct occurrence: no occurrence was even attempted twice
        // (an attempt that found the run existing would show up here with Started = false).
        var attempts = h.Starts.ToArray();
        Assert.Equal(attempts.Length, attempts.Select(a => a.RunId).Distinct().Count());
        Assert.All(attempts, a => Assert.True(a.Started, $"{a.RunId} was found existing"));
    }

    [Fact]
    public async Task EngineRestart_CatchUpAll_FiresMissedOccurrencesOnceEach()
    {
        await using var h = await ScheduleHarness.StartAsync(engines: 0);
        var engine = await h.StartEngineAsync("w0");
        await h.Manager.ApplyAsync("churn", null, [ScheduleHarness.Schedule("fast", EveryTwoSeconds, OverlapPolicy.Queue, new CatchUpPolicy(CatchUpMode.All, TimeSpan.FromMinutes(5)))]);
        await ScheduleHarness.WaitUntilAsync(() => h.StartedRunIds().Length >= 1, 90, "a first run", () => h.DescribeAsync("churn", "fast"));

        await h.StopEngineAsync(engine);
        var stoppedAt = DateTime.UtcNow;
        var before = h.StartedRunIds().ToHashSet();
        await Task.Delay(5000);
        await h.StartEngineAsync("w0");

        // Downtime of 5 s on a 2 s cron: at least two occurrences fell into it and must be caught up
        // (overlap queue, so the caught-up runs start one after another instead of being skipped).
        await ScheduleHarness.WaitUntilAsync(
            () => h.StartedRunIds().Count(id => !before.Contains(id)) >= 3, 90, "the missed occurrences", () => h.DescribeAsync("churn", "fast"));
        var attempts = h.Starts.ToArray();
        Assert.Equal(attempts.Length, attempts.Select(a => a.RunId).Distinct().Count());
        var occurrences = h.StartedRunIds().Select(OccurrenceOf).Order().ToList();
        Assert.Contains(occurrences, o => o > stoppedAt && o < stoppedAt.AddSeconds(5));
        for (var i = 1; i < occurrences.Count; i++)
        {
            Assert.True(occurrences[i] - occurrences[i - 1] == TimeSpan.FromSeconds(2), $"gap between {occurrences[i - 1]:O} and {occurrences[i]:O}: catch-up all should leave none");
        }
    }

    private static DateTime OccurrenceOf(string runId) =>
        DateTime.ParseExact(runId[(runId.LastIndexOf('-') + 1)..], "yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal);
}
