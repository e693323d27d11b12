using Serverless.Schedules.Definition;
using Serverless.Schedules.Running;

namespace Serverless.Schedules.Tests;

public class ScheduleOrchestrationTests
{
    private const string EveryTwoSeconds = "*/2 * * * * *";
    private const string Yearly = "0 0 0 1 1 *";

    [Fact]
    public async Task EveryTwoSeconds_FiresRunsWithOccurrenceIds_AndKeepsHistoryBounded()
    {
        await using var h = await ScheduleHarness.StartAsync();
        await h.Manager.ApplyAsync("churn", "v1", [ScheduleHarness.Schedule("fast", EveryTwoSeconds)]);

        await ScheduleHarness.WaitUntilAsync(() => h.StartedRunIds().Length >= 3, 90, "three scheduled runs", () => h.DescribeAsync("churn", "fast"));

        var ids = h.StartedRunIds();
        Assert.Equal(ids.Length, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Matches(@"^churn\.fast-\d{8}T\d{5}[02468]Z$", id));
        var row = await h.Store.GetAsync("churn", "fast");
        Assert.NotNull(row);
        Assert.NotNull(row.LastRunId);
        Assert.StartsWith("churn.fast-", row.LastRunId, StringComparison.Ordinal);
        Assert.True(row.Generation >= 3, $"generation {row.Generation}");
        Assert.Equal(row.LastRunId, ScheduleIds.RunId("churn.fast", row.LastFiredAt!.Value));

        // ContinueAsNew after every wake-up: the current execution's history is a handful of events, however long it ran.
        var history = await h.Client.GetHistoryAsync(ScheduleIds.InstanceId("churn.fast"));
        Assert.NotNull(history);
        Assert.InRange(history.Count, 1, 30);
        await ScheduleHarness.WaitUntilAsync(async () => (await h.Client.GetInstanceAsync(ids[0]))?.RuntimeStatus == Orchestration.OrchestrationStatus.Completed, 90, "the first run to complete");
    }

    [Fact]
    public async Task PauseResumeTriggerDelete_ControlTheSchedule()
    {
        await using var h = await ScheduleHarness.StartAsync();
        var m = h.Manager;
        await m.ApplyAsync("churn", null, [ScheduleHarness.Schedule("yearly", Yearly)]);

        var runId = await m.TriggerAsync("churn.yearly");
        await ScheduleHarness.WaitUntilAsync(() => h.StartedRunIds().Contains(runId), 90, "the triggered run");
        Assert.Contains("-manual-", runId, StringComparison.Ordinal);

        var paused = await m.PauseAsync("churn.yearly");
        Assert.True(paused.Paused);
        Assert.Empty(paused.NextOccurrences);

        // A manual trigger runs even while paused.
        var second = await m.TriggerAsync("churn.yearly");
        await ScheduleHarness.WaitUntilAsync(() => h.StartedRunIds().Contains(second), 90, "the run triggered while paused");
        await ScheduleHarness.WaitUntilAsync(async () => (await m.GetAsync("churn.yearly")) is { Paused: true } row && row.LastRunId == second, 90, "the listing to show the triggered run");

        var resumed = await m.ResumeAsync("churn.yearly");
        Assert.False(resumed.Paused);
        Assert.Equal(5, resumed.NextOccurrences.Count);
        Assert.All(resumed.NextOccurrences, o => Assert.Equal((1, 1, 0), (o.Month, o.Day, o.Hour)));

        await m.DeleteAsync("churn.yearly");
        await ScheduleHarness.WaitUntilAsync(async () => (await h.Client.GetInstanceAsync(ScheduleIds.InstanceId("churn.yearly")))?.RuntimeStatus == Orchestration.OrchestrationStatus.Completed, 90, "the schedule orchestration to end");
        await Assert.ThrowsAsync<ScheduleNotFoundException>(() => m.GetAsync("churn.yearly"));
        await Assert.ThrowsAsync<ScheduleNotFoundException>(() => m.TriggerAsync("churn.yearly"));
        Assert.Equal(2, h.StartedRunIds().Length);
    }

    [Fact]
    public async Task Pause_StopsFiring_UntilResumed()
    {
        await using var h = await ScheduleHarness.StartAsync();
        await h.Manager.ApplyAsync("churn", null, [ScheduleHarness.Schedule("fast", EveryTwoSeconds)]);
        await ScheduleHarness.WaitUntilAsync(() => h.StartedRunIds().Length >= 1, 90, "a first run");

        await h.Manager.PauseAsync("churn.fast");
        await ScheduleHarness.WaitUntilAsync(async () => (await h.Store.GetAsync("churn", "fast"))!.Generation > 0 && (await h.Client.GetInstanceAsync(ScheduleIds.InstanceId("churn.fast"), true))!.SerializedInput!.Contains("\"paused\":true", StringComparison.Ordinal), 90, "the orchestration to take the pause");
        var count = h.StartedRunIds().Length;
        await Task.Delay(4500);
        Assert.Equal(count, h.StartedRunIds().Length);

        await h.Manager.ResumeAsync("churn.fast");
        await ScheduleHarness.WaitUntilAsync(() => h.StartedRunIds().Length > count, 90, "a run after resuming");
    }

    [Fact]
    public async Task Apply_RemovesSchedulesNoLongerDeclared_AndUpdatesChangedOnes()
    {
        await using var h = await ScheduleHarness.StartAsync();
        await h.Manager.ApplyAsync("churn", "v1", [ScheduleHarness.Schedule("a", Yearly), ScheduleHarness.Schedule("b", Yearly)]);

        var applied = await h.Manager.ApplyAsync("churn", "v2", [ScheduleHarness.Schedule("a", "0 0 12 * * *", OverlapPolicy.Queue)]);

        Assert.Equal("a", Assert.Single(applied).Definition.Name);
        await ScheduleHarness.WaitUntilAsync(async () => (await h.Store.ListAsync("churn")).Count == 1, 90, "schedule b to be removed");
        await ScheduleHarness.WaitUntilAsync(async () => (await h.Store.GetAsync("churn", "a")) is { Version: "v2", Definition.Overlap: OverlapPolicy.Queue, Generation: >= 2 }, 90, "schedule a to be updated by its orchestration");
        var a = await h.Manager.GetAsync("churn.a");
        Assert.Equal("0 0 12 * * *", a.Definition.Cron);
        Assert.All(a.NextOccurrences, o => Assert.Equal(12, o.Hour));
    }
}
