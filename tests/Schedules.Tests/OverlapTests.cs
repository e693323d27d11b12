using Serverless.Orchestration;
using Serverless.Schedules.Definition;
using Serverless.Schedules.Running;

namespace Serverless.Schedules.Tests;

public class OverlapTests
{
    private const string EveryTwoSeconds = "*/2 * * * * *";

    [Fact]
    public async Task Skip_WhilePreviousRuns_DropsOccurrences()
    {
        await using var h = await ScheduleHarness.StartAsync();
        await h.Manager.ApplyAsync("churn", null, [ScheduleHarness.Schedule("held", EveryTwoSeconds, OverlapPolicy.Skip, hold: true)]);

        await ScheduleHarness.WaitUntilAsync(async () => (await h.Store.GetAsync("churn", "held")) is { Dropped: >= 2 }, 90, "two skipped occurrences", () => h.DescribeAsync("churn", "held"));

        Assert.Single(h.StartedRunIds());
    }

    [Fact]
    public async Task Queue_WaitsForThePreviousRun_ThenStarts()
    {
        await using var h = await ScheduleHarness.StartAsync();
        await h.Manager.ApplyAsync("churn", null, [ScheduleHarness.Schedule("held", EveryTwoSeconds, OverlapPolicy.Queue, hold: true)]);
        await ScheduleHarness.WaitUntilAsync(async () => (await h.Store.GetAsync("churn", "held")) is { Queued: >= 1 }, 90, "a queued occurrence", () => h.DescribeAsync("churn", "held"));
        var first = Assert.Single(h.StartedRunIds());

        await h.Client.RaiseEventAsync(first, "finish");

        await ScheduleHarness.WaitUntilAsync(() => h.StartedRunIds().Length >= 2, 90, "the queued run", () => h.DescribeAsync("churn", "held"));
        var second = h.StartedRunIds()[1];
        Assert.Equal(OrchestrationStatus.Completed, (await h.Client.GetInstanceAsync(first))!.RuntimeStatus);
        Assert.True(string.CompareOrdinal(second, first) > 0, "the queued occurrence is later than the first");
    }

    [Fact]
    public async Task CancelPrevious_StopsTheRunningRun_AndStartsTheNext()
    {
        await using var h = await ScheduleHarness.StartAsync();
        await h.Manager.ApplyAsync("churn", null, [ScheduleHarness.Schedule("held", EveryTwoSeconds, OverlapPolicy.CancelPrevious, hold: true)]);

        await ScheduleHarness.WaitUntilAsync(() => h.StartedRunIds().Length >= 2, 90, "a second run", () => h.DescribeAsync("churn", "held"));

        var first = h.StartedRunIds()[0];
        await ScheduleHarness.WaitUntilAsync(async () => (await h.Client.GetInstanceAsync(first))!.RuntimeStatus == OrchestrationStatus.Terminated, 90, "the first run to be cancelled");
    }
}
