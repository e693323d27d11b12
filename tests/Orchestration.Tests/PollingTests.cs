using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Tracing;
using Azure.Core.Diagnostics;
using Serverless.Orchestration.AzureStorage;

namespace Serverless.Orchestration.Tests;

/// <summary>How often the pollers read their queues: the schedule itself, and what a run costs in receives.</summary>
public sealed class PollingTests
{
    private static readonly TimeSpan s_first = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan s_max = TimeSpan.FromSeconds(1);

    [Fact]
    public void Backoff_DueAtOnceBeforeTheFirstReceive()
    {
        var clock = new FakeClock();
        var backoff = new PollBackoff(s_first, s_max, clock.Now);

        Assert.True(backoff.Due);
        Assert.Equal(TimeSpan.Zero, backoff.UntilDue);
    }

    [Fact]
    public void Backoff_EmptyReceivesDoubleTheWaitUpToTheMaximum()
    {
        var clock = new FakeClock();
        var backoff = new PollBackoff(s_first, s_max, clock.Now);
        var waits = new List<double>();
        for (var i = 0; i < 10; i++)
        {
            backoff.Polled(0);
            waits.Add(backoff.Interval.TotalMilliseconds);
        }

        Assert.Equal([10, 20, 40, 80, 160, 320, 640, 1000, 1000, 1000], waits);
    }

    [Fact]
    public void Backoff_MessagesFoundMakeTheNextReceiveDueAtOnce_AndTheBackoffStartsOver()
    {
        var clock = new FakeClock();
        var backoff = new PollBackoff(s_first, s_max, clock.Now);
        for (var i = 0; i < 8; i++)
        {
            backoff.Polled(0);
        }

        backoff.Polled(3);

        Assert.True(backoff.Due);
        backoff.Polled(0);
        Assert.Equal(s_first, backoff.Interval);
    }

    [Fact]
    public void Backoff_UntilDueCountsDownWithTheClock()
    {
        var clock = new FakeClock();
        var backoff = new PollBackoff(s_first, s_max, clock.Now);
        backoff.Polled(0);
        backoff.Polled(0);

        clock.Advance(TimeSpan.FromMilliseconds(5));
        Assert.False(backoff.Due);
        Assert.Equal(15, backoff.UntilDue.TotalMilliseconds, 3);

        clock.Advance(TimeSpan.FromMilliseconds(15));
        Assert.True(backoff.Due);
    }

    [Fact]
    public void Backoff_AFailedReceiveWaitsThePauseThenBacksOffFromThere()
    {
        var clock = new FakeClock();
        var backoff = new PollBackoff(s_first, s_max, clock.Now);

        backoff.Failed(TimeSpan.FromMilliseconds(300));
        Assert.Equal(300, backoff.UntilDue.TotalMilliseconds, 3);
        backoff.Polled(0);
        Assert.Equal(600, backoff.Interval.TotalMilliseconds);
    }

    /// <summary>
    /// Every step of a chain is a hand-off to the activity poller and one back to the control poller. Before,
    /// each hand-off restarted the pollers' back-off, so a step cost several empty receives per poller; now
    /// the receives a run costs are bounded by the back-off schedule alone, whatever the number of steps.
    /// </summary>
    [Fact]
    public async Task HandOffs_DoNotCostEmptyReceives()
    {
        const int Steps = 25;
        var registry = new OrchestrationRegistry()
            .AddActivity<int, int>("Pause", async (_, x) =>
            {
                await Task.Delay(40);
                return x;
            })
            .AddOrchestrator<int, int>("Chain", async (ctx, n) =>
            {
                for (var i = 0; i < n; i++)
                {
                    await ctx.CallActivityAsync<int>("Pause", i);
                }

                return n;
            });
        await using var engine = await TestEngine.StartAsync(registry);
        var hub = engine.Options.TaskHubName;
        var receives = new ConcurrentBag<string>();
        var counting = false;
        using var listener = new AzureEventSourceListener(
            (e, _) =>
            {
                // Azure.Core's Request event: request id, method, URI, headers.
                if (Volatile.Read(ref counting) && e.EventName == "Request" && e.Payload is { Count: >= 3 } p &&
                    p[1] is "GET" && p[2] is string uri && uri.Contains($"/{hub}-", StringComparison.Ordinal) &&
                    uri.Contains("/messages", StringComparison.Ordinal))
                {
                    receives.Add(uri);
                }
            },
            EventLevel.Informational);

        Volatile.Write(ref counting, true);
        var watch = Stopwatch.StartNew();
        var result = await engine.RunAsync("Chain", Steps, timeoutSeconds: 60);
        watch.Stop();
        Volatile.Write(ref counting, false);

        Assert.Equal(OrchestrationStatus.Completed, result.RuntimeStatus);
        Assert.Equal(Steps, result.ReadOutputAs<int>());

        // Each poller (the control partitions and the work-item queue) backs off 10, 20, …, 640 ms, then
        // waits the 1 s maximum: at most 8 receives to reach it, plus one a second after that, plus one at
        // the start of the window.
        // The listener must see the receives at all, or the bound below proves nothing.
        Assert.NotEmpty(receives);
        var pollers = engine.Options.PartitionCount + 1;
        var bound = pollers * (8 + 1 + (int)Math.Ceiling(watch.Elapsed.TotalSeconds));
        Assert.True(receives.Count <= bound,
            $"{receives.Count} queue receives during a {Steps}-step chain of {watch.Elapsed.TotalSeconds:F1} s; the back-off allows {bound}");
    }

    private sealed class FakeClock
    {
        private long _ticks = 1_000_000;

        public long Now() => _ticks;

        public void Advance(TimeSpan by) => _ticks += (long)(by.TotalSeconds * Stopwatch.Frequency);
    }
}
