using Serverless.Orchestration;

namespace Serverless.Orchestration.Tests;

public sealed class SmokeTests
{
    [Fact]
    public async Task Sequence_OfActivities_CompletesWithOutput()
    {
        var registry = new OrchestrationRegistry()
            .AddActivity<string, string>("Hello", name => $"Hello {name}!")
            .AddOrchestrator<object, List<string?>>("Greetings", async (ctx, _) =>
            [
                await ctx.CallActivityAsync<string>("Hello", "Tokyo"),
                await ctx.CallActivityAsync<string>("Hello", "Seattle"),
                await ctx.CallActivityAsync<string>("Hello", "London"),
            ]);
        await using var engine = await TestEngine.StartAsync(registry);

        var result = await engine.RunAsync("Greetings");

        Assert.Equal(OrchestrationStatus.Completed, result.RuntimeStatus);
        Assert.Equal(["Hello Tokyo!", "Hello Seattle!", "Hello London!"], result.ReadOutputAs<List<string>>());
    }
}
