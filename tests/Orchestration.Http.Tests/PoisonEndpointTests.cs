using System.Net;
using System.Text.Json;
using Serverless.Orchestration.AzureStorage;
using Serverless.Storage;
using Serverless.Testing;

namespace Serverless.Orchestration.Http.Tests;

public sealed class PoisonEndpointTests
{
    [Fact]
    public async Task GetPoison_ActivityRedeliveredPastLimit_ListsTheMessage()
    {
        // A worker dies mid-activity (its engine stops while the activity runs), so the activity message
        // goes back to the queue; the API host's worker allows one delivery and moves it to poison.
        var hub = TestNames.Unique("poison");
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var registry = new OrchestrationRegistry()
            .AddActivity("Train", async ctx =>
            {
                started.TrySetResult();
                await Task.Delay(Timeout.Infinite, ctx.CancellationToken);
                return null;
            })
            .AddOrchestrator<object, string?>("Victim", async (ctx, _) => await ctx.CallActivityAsync<string>("Train", "epoch-1"));
        var storage = new StorageClients(new StorageOptions { ConnectionString = await Azurite.EnsureRunningAsync() });
        string id;
        await using (var doomed = new DurableEngine(storage, new TaskHubOptions { TaskHubName = hub, PartitionCount = 1, MaxPollingInterval = TimeSpan.FromMilliseconds(250) }, registry))
        {
            await doomed.StartAsync();
            id = await doomed.Client.StartNewAsync("Victim");
            await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }

        await using var host = await DurableApiHost.StartAsync(registry, o =>
        {
            o.PartitionCount = 1;
            o.MaxDequeueCount = 1;
        }, hub);

        var failed = await host.PollStatusAsync($"instances/{id}", "Failed");
        var poison = await host.GetAsync($"instances/{id}/poison");

        Assert.Equal(HttpStatusCode.OK, poison.Status);
        var entry = Assert.Single(poison.Json.EnumerateArray());
        Assert.Equal(id, entry.GetProperty("instanceId").GetString());
        Assert.EndsWith("workitems", entry.GetProperty("queue").GetString(), StringComparison.Ordinal);
        Assert.True(entry.GetProperty("dequeueCount").GetInt64() >= 2);
        Assert.Contains("delivered", entry.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("epoch-1", entry.GetProperty("message").GetRawText(), StringComparison.Ordinal);
        Assert.Equal("PoisonMessage", failed.Json.GetProperty("failureDetails").GetProperty("inner").GetProperty("errorType").GetString());
    }

    [Fact]
    public async Task GetPoison_NoPoison_ReturnsEmptyArray_BadId_Returns400()
    {
        await using var host = await DurableApiHost.StartAsync(TestOrchestrations.Create());
        var payload = await host.StartAsync("Echo", "1");
        await host.PollStatusAsync(payload.GetProperty("statusQueryGetUri").GetString()!, "Completed");

        var none = await host.GetAsync($"instances/{payload.GetProperty("id").GetString()}/poison");
        var bad = await host.GetAsync("instances/a%3Fb/poison");

        Assert.Equal(HttpStatusCode.OK, none.Status);
        Assert.Equal(JsonValueKind.Array, none.Json.ValueKind);
        Assert.Equal(0, none.Json.GetArrayLength());
        bad.AssertError(HttpStatusCode.BadRequest, "InvalidInstanceId");
    }
}
