namespace Serverless.Orchestration.Tests;

public sealed class InstanceManagementTests
{
    private static OrchestrationRegistry Registry() => new OrchestrationRegistry()
        .AddActivity<string, string>("Echo", x => x!)
        .AddOrchestrator<string, string?>("EchoOnce", (ctx, x) => ctx.CallActivityAsync<string>("Echo", x))
        .AddOrchestrator<object, string?>("WaitForGo", (ctx, _) => ctx.WaitForExternalEvent<string>("Go"));

    [Fact]
    public async Task StartNew_CallerChosenIdStillRunning_IsRefused()
    {
        await using var engine = await TestEngine.StartAsync(Registry());
        await engine.Client.StartNewAsync("WaitForGo", options: new() { InstanceId = "fixed-id" });

        var ex = await Assert.ThrowsAsync<InstanceAlreadyExistsException>(() =>
            engine.Client.StartNewAsync("WaitForGo", options: new() { InstanceId = "fixed-id" }));

        Assert.Equal("fixed-id", ex.InstanceId);
        Assert.Contains("already exists", ex.Message);
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("a#b")]
    [InlineData("a?b")]
    [InlineData("a\\b")]
    [InlineData("")]
    public async Task StartNew_InvalidInstanceId_ThrowsNamingTheProblem(string id)
    {
        await using var engine = await TestEngine.StartAsync(Registry());

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => engine.Client.StartNewAsync("EchoOnce", "x", new() { InstanceId = id }));

        Assert.Contains("instance id", ex.Message);
    }

    [Fact]
    public async Task StartNew_FinishedId_StartsNewExecution()
    {
        await using var engine = await TestEngine.StartAsync(Registry());
        var first = await engine.RunAsync("EchoOnce", "one", instanceId: "reuse-me");

        var second = await engine.RunAsync("EchoOnce", "two", instanceId: "reuse-me");

        Assert.Equal("one", first.ReadOutputAs<string>());
        Assert.Equal("two", second.ReadOutputAs<string>());
        Assert.NotEqual(first.ExecutionId, second.ExecutionId);
    }

    [Fact]
    public async Task Terminate_WaitingInstance_EndsTerminatedWithReason()
    {
        await using var engine = await TestEngine.StartAsync(Registry());
        var id = await engine.Client.StartNewAsync("WaitForGo");
        await TimerAndEventTests.WaitForStatusAsync(engine, id, s => s.RuntimeStatus == OrchestrationStatus.Running);

        await engine.Client.TerminateAsync(id, "operator stopped it");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var result = await engine.Client.WaitForCompletionAsync(id, cts.Token);

        Assert.Equal(OrchestrationStatus.Terminated, result.RuntimeStatus);
        Assert.Equal("operator stopped it", result.ReadOutputAs<string>());
        await Assert.ThrowsAsync<InstanceStateException>(() => engine.Client.RaiseEventAsync(id, "Go"));
    }

    [Fact]
    public async Task SuspendResume_EventsHeldWhileSuspended_DeliveredOnResume()
    {
        await using var engine = await TestEngine.StartAsync(Registry());
        var id = await engine.Client.StartNewAsync("WaitForGo");
        await TimerAndEventTests.WaitForStatusAsync(engine, id, s => s.RuntimeStatus == OrchestrationStatus.Running);

        await engine.Client.SuspendAsync(id, "maintenance");
        await TimerAndEventTests.WaitForStatusAsync(engine, id, s => s.RuntimeStatus == OrchestrationStatus.Suspended);
        await engine.Client.RaiseEventAsync(id, "Go", "after maintenance");
        var history = await WaitForHistoryAsync(engine, id, h => h.Any(e => e.Type == EventType.EventRaised));
        Assert.Equal(OrchestrationStatus.Suspended, (await engine.Client.GetInstanceAsync(id))!.RuntimeStatus);

        await engine.Client.ResumeAsync(id);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var result = await engine.Client.WaitForCompletionAsync(id, cts.Token);

        Assert.Equal("after maintenance", result.ReadOutputAs<string>());
        Assert.NotNull(history);
    }

    [Fact]
    public async Task Restart_FinishedInstance_NewIdOrSameId()
    {
        await using var engine = await TestEngine.StartAsync(Registry());
        var original = await engine.RunAsync("EchoOnce", "payload", instanceId: "to-restart");

        var newId = await engine.Client.RestartAsync("to-restart", restartWithNewInstanceId: true);
        var sameId = await engine.Client.RestartAsync("to-restart", restartWithNewInstanceId: false);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var a = await engine.Client.WaitForCompletionAsync(newId, cts.Token);
        var b = await engine.Client.WaitForCompletionAsync(sameId, cts.Token);

        Assert.NotEqual("to-restart", newId);
        Assert.Equal("to-restart", sameId);
        Assert.Equal("payload", a.ReadOutputAs<string>());
        Assert.Equal("payload", b.ReadOutputAs<string>());
        Assert.NotEqual(original.ExecutionId, b.ExecutionId);
    }

    [Fact]
    public async Task Query_FiltersAndPages()
    {
        await using var engine = await TestEngine.StartAsync(Registry());
        var prefix = "q" + Guid.NewGuid().ToString("N")[..8];
        for (var i = 0; i < 5; i++)
        {
            await engine.RunAsync("EchoOnce", "x", instanceId: $"{prefix}-done-{i}");
        }

        var waiting = await engine.Client.StartNewAsync("WaitForGo", options: new() { InstanceId = $"{prefix}-wait" });
        await TimerAndEventTests.WaitForStatusAsync(engine, waiting, s => s.RuntimeStatus == OrchestrationStatus.Running);

        var seen = new List<OrchestrationMetadata>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await engine.Client.QueryInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = prefix, PageSize = 2, ContinuationToken = token });
            seen.AddRange(page.Instances);
            token = page.ContinuationToken;
            pages++;
        }
        while (token is not null);
        var running = await engine.Client.QueryInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = prefix, Statuses = [OrchestrationStatus.Running] });
        var none = await engine.Client.QueryInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = prefix, CreatedFrom = DateTime.UtcNow.AddMinutes(5) });

        Assert.Equal(6, seen.Count);
        Assert.True(pages >= 3, $"expected at least 3 pages of 2, got {pages}");
        Assert.Equal($"{prefix}-wait", Assert.Single(running.Instances).InstanceId);
        Assert.Empty(none.Instances);
    }

    [Fact]
    public async Task Purge_OneAndByFilter_RemovesHistoryAndRefusesRunning()
    {
        await using var engine = await TestEngine.StartAsync(Registry());
        var prefix = "p" + Guid.NewGuid().ToString("N")[..8];
        await engine.RunAsync("EchoOnce", "x", instanceId: $"{prefix}-1");
        await engine.RunAsync("EchoOnce", "x", instanceId: $"{prefix}-2");
        await engine.RunAsync("EchoOnce", "x", instanceId: $"{prefix}-3");
        var running = await engine.Client.StartNewAsync("WaitForGo", options: new() { InstanceId = $"{prefix}-run" });
        await TimerAndEventTests.WaitForStatusAsync(engine, running, s => s.RuntimeStatus == OrchestrationStatus.Running);

        Assert.True(await engine.Client.PurgeInstanceAsync($"{prefix}-1"));
        Assert.False(await engine.Client.PurgeInstanceAsync($"{prefix}-1"));
        var notFinished = await Assert.ThrowsAsync<InstanceStateException>(() => engine.Client.PurgeInstanceAsync(running));
        Assert.Equal(OrchestrationStatus.Running, notFinished.Status);
        var purged = await engine.Client.PurgeInstancesAsync(new PurgeFilter { CreatedFrom = DateTime.UtcNow.AddMinutes(-5) });

        Assert.True(purged >= 2);
        Assert.Null(await engine.Client.GetInstanceAsync($"{prefix}-2"));
        Assert.Null(await engine.Client.GetHistoryAsync($"{prefix}-3"));
        Assert.NotNull(await engine.Client.GetInstanceAsync(running));
    }

    [Fact]
    public async Task RetentionPolicy_PurgesOldFinishedInstancesAutomatically()
    {
        await using var engine = await TestEngine.StartAsync(Registry(), o =>
        {
            o.HistoryRetention = TimeSpan.FromSeconds(1);
            o.RetentionInterval = TimeSpan.FromMilliseconds(500);
        });
        var done = await engine.RunAsync("EchoOnce", "x");

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (await engine.Client.GetInstanceAsync(done.InstanceId) is not null)
        {
            await Task.Delay(200, cts.Token);
        }

        Assert.Null(await engine.Client.GetHistoryAsync(done.InstanceId));
    }

    [Fact]
    public async Task OperationsOnUnknownInstance_ThrowNotFound()
    {
        await using var engine = await TestEngine.StartAsync(Registry());

        await Assert.ThrowsAsync<InstanceNotFoundException>(() => engine.Client.RaiseEventAsync("nope", "Go"));
        await Assert.ThrowsAsync<InstanceNotFoundException>(() => engine.Client.TerminateAsync("nope"));
        await Assert.ThrowsAsync<InstanceNotFoundException>(() => engine.Client.RestartAsync("nope", true));
        Assert.Null(await engine.Client.GetInstanceAsync("nope"));
    }

    private static async Task<IReadOnlyList<HistoryEvent>> WaitForHistoryAsync(TestEngine engine, string id, Func<IReadOnlyList<HistoryEvent>, bool> condition)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var history = await engine.Client.GetHistoryAsync(id, cts.Token);
            if (history is not null && condition(history))
            {
                return history;
            }

            await Task.Delay(50, cts.Token);
        }
    }
}
