using Serverless.Schedules.Store;
using Serverless.Storage;
using Serverless.Testing;

namespace Serverless.Schedules.Tests;

/// <summary>
/// The listing row has two writers, the API (the flag of a pause or resume request) and the schedule's
/// orchestration (its whole state); a write based on a state from before a request must not put the old flag
/// back.
/// </summary>
public sealed class PauseFlagTests
{
    private const string Yearly = "0 0 0 1 1 *";

    [Fact]
    public async Task Upsert_StateOlderThanTheRowsPauseRequest_KeepsTheRequestedFlag()
    {
        var store = new ScheduleStore(new StorageClients(new StorageOptions { ConnectionString = await Azurite.EnsureRunningAsync() }), TestNames.Unique("pauseflag"));
        var record = new ScheduleRecord { Id = "churn.nightly", Pipeline = "churn", Definition = ScheduleHarness.Schedule("nightly", Yearly) };
        await store.UpsertAsync(record);

        // Request 1 (pause) lands in the row; then the orchestration writes a state that has not applied it.
        Assert.True(await store.SetPausedAsync("churn", "nightly", paused: true, sequence: 1));
        await store.UpsertAsync(record with { Paused = false, PauseSequence = 0, Fired = 3 });
        var afterStale = await store.GetAsync("churn", "nightly");

        // Once applied, the orchestration's own flag counts again; an older request never overwrites a newer one.
        await store.UpsertAsync(record with { Paused = true, PauseSequence = 1, Fired = 4 });
        Assert.True(await store.SetPausedAsync("churn", "nightly", paused: false, sequence: 2));
        Assert.True(await store.SetPausedAsync("churn", "nightly", paused: true, sequence: 1));
        var afterOldRequest = await store.GetAsync("churn", "nightly");
        await store.UpsertAsync(record with { Paused = false, PauseSequence = 2, Fired = 5 });
        var settled = await store.GetAsync("churn", "nightly");

        Assert.NotNull(afterStale);
        Assert.True(afterStale.Paused);
        Assert.Equal(1, afterStale.PauseSequence);
        Assert.Equal(3, afterStale.Fired);
        Assert.False(afterOldRequest!.Paused);
        Assert.Equal(2, afterOldRequest.PauseSequence);
        Assert.False(settled!.Paused);
        Assert.Equal(5, settled.Fired);
        Assert.False(await store.SetPausedAsync("churn", "missing", paused: true, sequence: 1));
    }

    [Fact]
    public async Task PauseRightAfterTrigger_ListingNeverShowsTheScheduleUnpaused()
    {
        // The trigger makes the orchestration fire a run and write its row from a state that predates the
        // pause; that write used to put "not paused" back until the pause was applied an episode later.
        await using var h = await ScheduleHarness.StartAsync();
        var m = h.Manager;
        await m.ApplyAsync("churn", null, [ScheduleHarness.Schedule("yearly", Yearly)]);
        var before = await m.GetAsync("churn.yearly");

        var runId = await m.TriggerAsync("churn.yearly");
        var paused = await m.PauseAsync("churn.yearly");
        var seen = new List<(bool Paused, long Generation, string? LastRunId)>();
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            var row = await m.GetAsync("churn.yearly");
            seen.Add((row.Paused, row.Generation, row.LastRunId));
            if (row.LastRunId == runId && row.Generation >= before.Generation + 2 && row.PauseSequence >= paused.PauseSequence)
            {
                break;
            }

            await Task.Delay(10);
        }

        Assert.True(paused.Paused);
        Assert.Contains(seen, s => s.LastRunId == runId);
        Assert.All(seen, s => Assert.True(s.Paused, $"the listing showed the schedule unpaused at generation {s.Generation}"));
        await ScheduleHarness.WaitUntilAsync(() => h.StartedRunIds().Contains(runId), 90, "the triggered run");
    }
}
