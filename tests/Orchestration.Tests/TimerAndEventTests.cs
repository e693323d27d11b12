namespace Serverless.Orchestration.Tests;

public sealed class TimerAndEventTests
{
    [Fact]
    public async Task CreateTimer_FiresNoEarlierThanItsTime()
    {
        var registry = new OrchestrationRegistry()
            .AddOrchestrator<object, double>("Sleeper", async (ctx, _) =>
            {
                var before = ctx.CurrentUtcDateTime;
                await ctx.CreateTimer(TimeSpan.FromSeconds(1));
                return (ctx.CurrentUtcDateTime - before).TotalSeconds;
            });
        await using var engine = await TestEngine.StartAsync(registry);

        var result = await engine.RunAsync("Sleeper");

        Assert.Equal(OrchestrationStatus.Completed, result.RuntimeStatus);
        Assert.InRange(result.ReadOutputAs<double>(), 1.0, 10.0);
    }

    [Fact]
    public async Task CreateTimer_LongerThanQueueDelayLimit_IsReenqueuedUntilDue()
    {
        // The queue delay limit is shrunk to 1 s so a 3 s timer must surface and be re-enqueued twice,
        // exactly as a 20-day timer does against the real 7-day limit.
        var registry = new OrchestrationRegistry()
            .AddOrchestrator<object, double>("LongSleeper", async (ctx, _) =>
            {
                var before = ctx.CurrentUtcDateTime;
                await ctx.CreateTimer(TimeSpan.FromSeconds(3));
                return (ctx.CurrentUtcDateTime - before).TotalSeconds;
            });
        await using var engine = await TestEngine.StartAsync(registry, o => o.MaxTimerMessageDelay = TimeSpan.FromSeconds(1));

        var result = await engine.RunAsync("LongSleeper");

        Assert.Equal(OrchestrationStatus.Completed, result.RuntimeStatus);
        Assert.InRange(result.ReadOutputAs<double>(), 3.0, 15.0);
        var history = await engine.Client.GetHistoryAsync(result.InstanceId);
        Assert.Single(history!, e => e.Type == EventType.TimerFired);
    }

    [Fact]
    public async Task WaitForExternalEvent_RaisedEvent_DeliversPayload()
    {
        var registry = new OrchestrationRegistry()
            .AddOrchestrator<object, string?>("Approval", async (ctx, _) =>
            {
                ctx.SetCustomStatus("waiting");
                return await ctx.WaitForExternalEvent<string>("Approve");
            });
        await using var engine = await TestEngine.StartAsync(registry);
        var id = await engine.Client.StartNewAsync("Approval");
        await WaitForStatusAsync(engine, id, s => s.SerializedCustomStatus == "\"waiting\"");

        await engine.Client.RaiseEventAsync(id, "approve", "yes by alice");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var result = await engine.Client.WaitForCompletionAsync(id, cts.Token);

        Assert.Equal("yes by alice", result.ReadOutputAs<string>());
    }

    [Fact]
    public async Task WaitForExternalEvent_EventRaisedBeforeWait_IsBuffered()
    {
        var registry = new OrchestrationRegistry()
            .AddActivity<object, string>("Slow", _ => "done")
            .AddOrchestrator<object, string>("BufferFirst", async (ctx, _) =>
            {
                await ctx.WaitForExternalEvent<string>("Go");
                var a = await ctx.CallActivityAsync<string>("Slow");
                var b = await ctx.WaitForExternalEvent<string>("Second");
                return $"{a}:{b}";
            });
        await using var engine = await TestEngine.StartAsync(registry);
        var id = await engine.Client.StartNewAsync("BufferFirst");
        await engine.Client.RaiseEventAsync(id, "Second", "early");
        await engine.Client.RaiseEventAsync(id, "Go");

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var result = await engine.Client.WaitForCompletionAsync(id, cts.Token);

        Assert.Equal("done:early", result.ReadOutputAs<string>());
    }

    [Fact]
    public async Task WaitForExternalEvent_Timeout_ThrowsTimeoutInOrchestrator()
    {
        var registry = new OrchestrationRegistry()
            .AddOrchestrator<object, string>("Impatient", async (ctx, _) =>
            {
                try
                {
                    await ctx.WaitForExternalEvent<string>("Never", TimeSpan.FromMilliseconds(500));
                    return "arrived";
                }
                catch (TimeoutException)
                {
                    return "timed out";
                }
            });
        await using var engine = await TestEngine.StartAsync(registry);

        var result = await engine.RunAsync("Impatient");

        Assert.Equal("timed out", result.ReadOutputAs<string>());
    }

    [Fact]
    public async Task SendEvent_BetweenInstances_IsReceived()
    {
        var registry = new OrchestrationRegistry()
            .AddOrchestrator<object, string?>("Receiver", (ctx, _) => ctx.WaitForExternalEvent<string>("Ping"))
            .AddOrchestrator<string, bool>("Sender", (ctx, target) =>
            {
                ctx.SendEvent(target!, "Ping", "hello from sender");
                return Task.FromResult(true);
            });
        await using var engine = await TestEngine.StartAsync(registry);
        var receiver = await engine.Client.StartNewAsync("Receiver", options: new StartOrchestrationOptions { InstanceId = "receiver-" + Guid.NewGuid().ToString("N") });

        await engine.RunAsync("Sender", receiver);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var result = await engine.Client.WaitForCompletionAsync(receiver, cts.Token);

        Assert.Equal("hello from sender", result.ReadOutputAs<string>());
    }

    [Fact]
    public async Task ContinueAsNew_Loop_KeepsHistoryBoundedAndCarriesEvents()
    {
        var registry = new OrchestrationRegistry()
            .AddActivity<int, int>("Inc", x => x + 1)
            .AddOrchestrator<int, int>("Counter", async (ctx, n) =>
            {
                var next = await ctx.CallActivityAsync<int>("Inc", n);
                if (next < 10)
                {
                    ctx.ContinueAsNew(next);
                }

                return next;
            });
        await using var engine = await TestEngine.StartAsync(registry);

        var result = await engine.RunAsync("Counter", 0);

        Assert.Equal(OrchestrationStatus.Completed, result.RuntimeStatus);
        Assert.Equal(10, result.ReadOutputAs<int>());
        var history = await engine.Client.GetHistoryAsync(result.InstanceId);
        // Only the last execution's events remain: started, one activity, completion.
        Assert.True(history!.Count <= 8, $"history has {history.Count} events");
        Assert.Equal("9", history.Single(e => e.Type == EventType.ExecutionStarted).Input);
    }

    [Fact]
    public async Task DeterministicApis_SameValuesOnEveryReplay()
    {
        var registry = new OrchestrationRegistry()
            .AddActivity<object, int>("Noop", _ => 0)
            .AddOrchestrator<object, string[]>("Determinism", async (ctx, _) =>
            {
                var guid = ctx.NewGuid().ToString();
                var time = ctx.CurrentUtcDateTime.ToString("O");
                ctx.SetCustomStatus(new[] { guid, time });
                await ctx.CallActivityAsync("Noop");
                await ctx.CallActivityAsync("Noop");
                return [guid, time];
            });
        await using var engine = await TestEngine.StartAsync(registry);
        var id = await engine.Client.StartNewAsync("Determinism");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var result = await engine.Client.WaitForCompletionAsync(id, cts.Token);

        // The custom status was set in the first episode; the output was computed by the last replay.
        Assert.Equal(result.ReadCustomStatusAs<string[]>(), result.ReadOutputAs<string[]>());
    }

    internal static async Task<OrchestrationMetadata> WaitForStatusAsync(TestEngine engine, string id, Func<OrchestrationMetadata, bool> condition, int seconds = 30)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        while (true)
        {
            var state = await engine.Client.GetInstanceAsync(id, cancellationToken: cts.Token);
            if (state is not null && condition(state))
            {
                return state;
            }

            await Task.Delay(50, cts.Token);
        }
    }
}
