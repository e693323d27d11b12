using System.Text.Json;
using Azure.Data.Tables;
using Serverless.Orchestration.AzureStorage;

namespace Serverless.Orchestration.Tests;

/// <summary>Large payloads, fencing, crash windows and poison messages, checked against storage itself.</summary>
public sealed class StorageBehaviourTests
{
    private static OrchestrationRegistry Registry() => new OrchestrationRegistry()
        .AddActivity<string, string>("Reverse", s => new string(s!.Reverse().ToArray()))
        .AddOrchestrator<string, string?>("ReverseTwice", async (ctx, s) =>
        {
            var once = await ctx.CallActivityAsync<string>("Reverse", s);
            ctx.SetCustomStatus(once);
            return await ctx.CallActivityAsync<string>("Reverse", once);
        })
        .AddOrchestrator<object, string?>("WaitForGo", (ctx, _) => ctx.WaitForExternalEvent<string>("Go"));

    [Fact]
    public async Task LargePayloads_TravelThroughBlobsTransparently()
    {
        await using var engine = await TestEngine.StartAsync(Registry());
        var big = string.Concat(Enumerable.Range(0, 40_000).Select(i => (char)('a' + (i % 26)))) + "|" + Guid.NewGuid();

        var result = await engine.RunAsync("ReverseTwice", big);

        Assert.Equal(OrchestrationStatus.Completed, result.RuntimeStatus);
        Assert.Equal(big, result.ReadOutputAs<string>());
        Assert.Equal(new string(big.Reverse().ToArray()), result.ReadCustomStatusAs<string>());
        var container = engine.Storage.Blobs.GetBlobContainerClient(engine.Options.TaskHubName + "-payloads");
        var blobs = new List<string>();
        await foreach (var b in container.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, result.InstanceId + "/", default))
        {
            blobs.Add(b.Name);
        }

        Assert.NotEmpty(blobs);
        Assert.True(await engine.Client.PurgeInstanceAsync(result.InstanceId));
        await foreach (var b in container.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, result.InstanceId + "/", default))
        {
            Assert.Fail($"blob {b.Name} survived the purge");
        }
    }

    [Fact]
    public async Task Commit_StaleCopy_IsFencedByInstanceRowETag()
    {
        await using var engine = await TestEngine.StartAsync(Registry());
        var id = await engine.Client.StartNewAsync("WaitForGo");
        await TimerAndEventTests.WaitForStatusAsync(engine, id, s => s.RuntimeStatus == OrchestrationStatus.Running);
        var store = new InstanceStore(engine.Storage.Tables.GetTableClient(engine.Options.TaskHubName + "History"),
            new PayloadStore(engine.Storage.Blobs.GetBlobContainerClient(engine.Options.TaskHubName + "-payloads")));
        var first = await store.LoadAsync(id, default);
        var second = await store.LoadAsync(id, default);
        var e = new HistoryEvent { Type = EventType.OrchestratorStarted, Timestamp = DateTime.UtcNow };

        await store.CommitAsync(first!, [e], default);
        var ex = await Assert.ThrowsAsync<CheckpointConflictException>(() => store.CommitAsync(second!, [e, e], default));

        Assert.Contains(id, ex.Message);
        var reloaded = await store.LoadAsync(id, default);
        Assert.Equal(first!.History.Count, reloaded!.History.Count);
    }

    [Fact]
    public async Task Commit_ManyEventsAcrossTransactions_UnfinishedCheckpointIsInvisible()
    {
        await using var engine = await TestEngine.StartAsync(Registry());
        var id = await engine.Client.StartNewAsync("WaitForGo");
        await TimerAndEventTests.WaitForStatusAsync(engine, id, s => s.RuntimeStatus == OrchestrationStatus.Running);
        var table = engine.Storage.Tables.GetTableClient(engine.Options.TaskHubName + "History");
        var store = new InstanceStore(table, new PayloadStore(engine.Storage.Blobs.GetBlobContainerClient(engine.Options.TaskHubName + "-payloads")));
        var state = await store.LoadAsync(id, default);
        var committed = state!.History.Count;

        // A checkpoint that crashed after its first transaction: rows beyond the count, count unchanged.
        var orphan = new TableEntity(id, committed.ToString("X8", System.Globalization.CultureInfo.InvariantCulture))
        {
            ["ExecutionId"] = state.ExecutionId,
            ["EventType"] = "EventRaised",
            ["Event"] = JsonSerializer.Serialize(new HistoryEvent { Type = EventType.EventRaised, Name = "Go", Input = "\"ghost\"" }, DataConverter.Options),
        };
        await table.UpsertEntityAsync(orphan);
        var afterCrash = await store.LoadAsync(id, default);

        Assert.Equal(committed, afterCrash!.History.Count);
        Assert.DoesNotContain(afterCrash.History, h => h.Input == "\"ghost\"");

        // The instance is unaffected: the real event completes it with the real payload.
        await engine.Client.RaiseEventAsync(id, "Go", "real");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var done = await engine.Client.WaitForCompletionAsync(id, cts.Token);
        Assert.Equal("real", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task StartMessageWithoutInstanceRow_WorkerCreatesTheInstance()
    {
        // The client crashed after enqueuing the start message and before writing the instance row.
        await using var engine = await TestEngine.StartAsync(Registry());
        var queues = new TaskHubNames(engine.Options.TaskHubName, engine.Options.PartitionCount);
        var id = "orphan-start-" + Guid.NewGuid().ToString("N");
        var queue = engine.Storage.Queues.GetQueueClient(queues.ControlQueues[queues.PartitionOf(id)]);
        var message = new TaskMessage
        {
            Id = $"{id}|e1|start",
            InstanceId = id,
            ExecutionId = "e1",
            CreatedTime = DateTime.UtcNow,
            Events = [new HistoryEvent { Type = EventType.ExecutionStarted, Name = "ReverseTwice", Input = "\"abc\"", ExecutionId = "e1", Timestamp = DateTime.UtcNow }],
        };
        await queue.SendMessageAsync(JsonSerializer.Serialize(message, DataConverter.Options));

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        OrchestrationMetadata? state = null;
        while (state is null || !state.RuntimeStatus.IsTerminal())
        {
            await Task.Delay(100, cts.Token);
            state = await engine.Client.GetInstanceAsync(id, cancellationToken: cts.Token);
        }

        Assert.Equal(OrchestrationStatus.Completed, state.RuntimeStatus);
        Assert.Equal("abc", state.ReadOutputAs<string>());
    }

    [Fact]
    public async Task UnreadableMessage_MovedToPoisonTableAtOnce()
    {
        await using var engine = await TestEngine.StartAsync(Registry());
        var names = new TaskHubNames(engine.Options.TaskHubName, engine.Options.PartitionCount);
        await engine.Storage.Queues.GetQueueClient(names.ControlQueues[0]).SendMessageAsync("{ this is not json");

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        IReadOnlyList<PoisonMessageInfo> poison = [];
        while (poison.Count == 0)
        {
            await Task.Delay(100, cts.Token);
            poison = await engine.Client.GetPoisonMessagesAsync(cancellationToken: cts.Token);
        }

        Assert.Contains("not valid JSON", poison[0].Reason);
        Assert.Equal("{ this is not json", poison[0].Message);
    }

    [Fact]
    public async Task CorruptHistory_MessagesBecomePoisonAndInstanceFailsWithReason()
    {
        await using var engine = await TestEngine.StartAsync(Registry(), o => o.MaxDequeueCount = 2);
        var id = await engine.Client.StartNewAsync("WaitForGo");
        await TimerAndEventTests.WaitForStatusAsync(engine, id, s => s.RuntimeStatus == OrchestrationStatus.Running);
        var table = engine.Storage.Tables.GetTableClient(engine.Options.TaskHubName + "History");
        var row = await table.GetEntityAsync<TableEntity>(id, "00000001");
        row.Value["Event"] = "{ corrupted";
        await table.UpdateEntityAsync(row.Value, row.Value.ETag, TableUpdateMode.Replace);

        // Fresh engine on the same hub so no cached copy hides the corruption.
        await engine.Engine.StopAsync();
        await using var second = await TestEngine.StartAsync(Registry(), o => o.MaxDequeueCount = 2, engine.Options.TaskHubName);
        await second.Client.RaiseEventAsync(id, "Go", "x");

        var failed = await TimerAndEventTests.WaitForStatusAsync(second, id, s => s.RuntimeStatus == OrchestrationStatus.Failed, seconds: 60);
        Assert.Equal("PoisonMessage", failed.Failure!.ErrorType);
        var poison = await second.Client.GetPoisonMessagesAsync(id);
        Assert.NotEmpty(poison);
        Assert.Contains("processing failed", poison[0].Reason);
    }

    [Fact]
    public async Task TwoWorkers_ShareThePartitions_AndCompleteEverything()
    {
        var hub = Serverless.Testing.TestNames.Unique("hub");
        await using var a = await TestEngine.StartAsync(Registry(), o => { o.PartitionCount = 4; o.WorkerId = "worker-a"; o.LeaseRenewInterval = TimeSpan.FromMilliseconds(300); }, hub);
        await using var b = await TestEngine.StartAsync(Registry(), o => { o.PartitionCount = 4; o.WorkerId = "worker-b"; o.LeaseRenewInterval = TimeSpan.FromMilliseconds(300); }, hub);

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (a.Engine.OwnedPartitions.Count != 2 || b.Engine.OwnedPartitions.Count != 2)
        {
            await Task.Delay(100, cts.Token);
        }

        var ids = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            ids.Add(await a.Client.StartNewAsync("ReverseTwice", $"text-{i}"));
        }

        foreach (var id in ids)
        {
            var done = await a.Client.WaitForCompletionAsync(id, cts.Token);
            Assert.Equal(OrchestrationStatus.Completed, done.RuntimeStatus);
        }

        Assert.Empty(a.Engine.OwnedPartitions.Intersect(b.Engine.OwnedPartitions));
        Assert.True(a.Engine.Episodes > 0 && b.Engine.Episodes > 0, $"episodes a={a.Engine.Episodes} b={b.Engine.Episodes}");
    }
}
