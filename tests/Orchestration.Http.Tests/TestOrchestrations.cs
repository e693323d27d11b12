using System.Text.Json;

namespace Serverless.Orchestration.Http.Tests;

/// <summary>The orchestrators the API tests drive: a sequence, an echo, one waiting for an event, one that fails.</summary>
public static class TestOrchestrations
{
    public static OrchestrationRegistry Create() => new OrchestrationRegistry()
        .AddActivity<string, string>("Hello", name => $"Hello {name}!")
        .AddActivity<object, string>("Boom", _ => throw new InvalidOperationException("disk full on node 7"))
        .AddOrchestrator<object, List<string?>>("Sequence", async (ctx, _) =>
        [
            await ctx.CallActivityAsync<string>("Hello", "Tokyo"),
            await ctx.CallActivityAsync<string>("Hello", "Seattle"),
            await ctx.CallActivityAsync<string>("Hello", "London"),
        ])
        .AddOrchestrator("Echo", ctx => Task.FromResult(ctx.GetInput<JsonElement?>() is { } input ? input.GetRawText() : null))
        .AddOrchestrator<object, JsonElement>("Approval", async (ctx, _) =>
        {
            ctx.SetCustomStatus(new { stage = "waiting" });
            var decision = await ctx.WaitForExternalEvent<JsonElement>("Approve");
            ctx.SetCustomStatus(new { stage = "approved" });
            return decision;
        })
        .AddOrchestrator<object, string>("Nap", async (ctx, _) =>
        {
            await ctx.CreateTimer(TimeSpan.FromMilliseconds(300));
            return "rested";
        })
        .AddOrchestrator<object, string?>("Fails", async (ctx, _) => await ctx.CallActivityAsync<string>("Boom"));
}

/// <summary>One API host per test class; the classes run in parallel, each on its own task hub.</summary>
public sealed class ApiFixture : IAsyncLifetime
{
    private DurableApiHost? _host;

    public DurableApiHost Host => _host ?? throw new InvalidOperationException("fixture not initialized");

    public async Task InitializeAsync() => _host = await DurableApiHost.StartAsync(TestOrchestrations.Create());

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
