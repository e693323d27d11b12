using System.Collections.Concurrent;

namespace Serverless.Orchestration.Tests;

public sealed class ActivityTests
{
    [Fact]
    public async Task CallActivity_Sequence_ReturnsResultsInOrder()
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

    [Fact]
    public async Task FanOutFanIn_TwoHundredActivities_AllResultsAggregated()
    {
        var registry = new OrchestrationRegistry()
            .AddActivity<int, int>("Square", x => x * x)
            .AddOrchestrator<int, long>("SumOfSquares", async (ctx, n) =>
            {
                var tasks = Enumerable.Range(1, n).Select(i => ctx.CallActivityAsync<int>("Square", i)).ToList();
                var results = await Task.WhenAll(tasks);
                return results.Sum(r => (long)r);
            });
        await using var engine = await TestEngine.StartAsync(registry);

        var result = await engine.RunAsync("SumOfSquares", 200, timeoutSeconds: 60);

        Assert.Equal(OrchestrationStatus.Completed, result.RuntimeStatus);
        Assert.Equal(Enumerable.Range(1, 200).Sum(i => (long)i * i), result.ReadOutputAs<long>());
        var history = await engine.Client.GetHistoryAsync(result.InstanceId);
        Assert.Equal(200, history!.Count(e => e.Type == EventType.TaskScheduled));
        Assert.Equal(200, history!.Count(e => e.Type == EventType.TaskCompleted));
    }

    [Fact]
    public async Task FanOut_CallsBatchedPerMessage_StillBoundedByMaxConcurrentActivities()
    {
        var running = 0;
        var peak = 0;
        var registry = new OrchestrationRegistry()
            .AddActivity<int, int>("Slow", async (_, x) =>
            {
                var now = Interlocked.Increment(ref running);
                InterlockedMax(ref peak, now);
                await Task.Delay(30);
                Interlocked.Decrement(ref running);
                return x;
            })
            .AddOrchestrator<int, int>("FanOutSlow", async (ctx, n) =>
                (await Task.WhenAll(Enumerable.Range(0, n).Select(i => ctx.CallActivityAsync<int>("Slow", i)))).Sum());
        await using var engine = await TestEngine.StartAsync(registry, o =>
        {
            o.MaxConcurrentActivities = 4;
            o.ActivityCallsPerMessage = 8;
        });

        var result = await engine.RunAsync("FanOutSlow", 40, timeoutSeconds: 60);

        Assert.Equal(OrchestrationStatus.Completed, result.RuntimeStatus);
        Assert.Equal(Enumerable.Range(0, 40).Sum(), result.ReadOutputAs<int>());
        Assert.InRange(peak, 1, 4);
        Assert.Equal(40, engine.Engine.ActivityExecutions);
    }

    [Fact]
    public async Task LocalHandOff_Disabled_SameResultsThroughTheQueueAlone()
    {
        var registry = new OrchestrationRegistry()
            .AddActivity<int, int>("Inc", x => x + 1)
            .AddOrchestrator<int, int>("Chain", async (ctx, n) =>
            {
                var v = 0;
                for (var i = 0; i < n; i++)
                {
                    v = await ctx.CallActivityAsync<int>("Inc", v);
                }

                return v;
            });
        await using var engine = await TestEngine.StartAsync(registry, o => o.LocalHandOff = false);

        var result = await engine.RunAsync("Chain", 10);

        Assert.Equal(OrchestrationStatus.Completed, result.RuntimeStatus);
        Assert.Equal(10, result.ReadOutputAs<int>());
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    [Fact]
    public async Task RetryPolicy_TransientFailures_SucceedsOnThirdAttempt()
    {
        var attempts = new ConcurrentDictionary<string, int>();
        var registry = new OrchestrationRegistry()
            .AddActivity<string, string>("Flaky", (ctx, key) =>
            {
                var n = attempts.AddOrUpdate(key!, 1, (_, v) => v + 1);
                return n < 3 ? throw new InvalidOperationException($"attempt {n} failed") : Task.FromResult($"ok after {n}");
            })
            .AddOrchestrator<string, string?>("WithRetry", (ctx, key) =>
                ctx.CallActivityAsync<string>("Flaky", key, TaskOptions.WithRetry(new RetryPolicy(5, TimeSpan.FromMilliseconds(200), 2.0))));
        await using var engine = await TestEngine.StartAsync(registry);

        var result = await engine.RunAsync("WithRetry", "k1");

        Assert.Equal(OrchestrationStatus.Completed, result.RuntimeStatus);
        Assert.Equal("ok after 3", result.ReadOutputAs<string>());
        var history = await engine.Client.GetHistoryAsync(result.InstanceId);
        Assert.Equal(2, history!.Count(e => e.Type == EventType.TaskFailed));
        Assert.Equal(2, history!.Count(e => e.Type == EventType.TimerCreated));
    }

    [Fact]
    public async Task RetryPolicy_Exhausted_OrchestrationFailsWithActivityError()
    {
        var registry = new OrchestrationRegistry()
            .AddActivity<string, string>("AlwaysFails", _ => throw new ArgumentException("bad input value"))
            .AddOrchestrator<string, string?>("Doomed", (ctx, _) =>
                ctx.CallActivityAsync<string>("AlwaysFails", "x", TaskOptions.WithRetry(new RetryPolicy(2, TimeSpan.FromMilliseconds(100)))));
        await using var engine = await TestEngine.StartAsync(registry);

        var result = await engine.RunAsync("Doomed");

        Assert.Equal(OrchestrationStatus.Failed, result.RuntimeStatus);
        Assert.NotNull(result.Failure);
        Assert.Contains("AlwaysFails", result.Failure!.Message);
        Assert.Contains("bad input value", result.Failure.Message);
        var history = await engine.Client.GetHistoryAsync(result.InstanceId);
        Assert.Equal(2, history!.Count(e => e.Type == EventType.TaskFailed));
    }

    [Fact]
    public async Task RetryPolicy_HandlePredicateRejects_DoesNotRetry()
    {
        var registry = new OrchestrationRegistry()
            .AddActivity<string, string>("Fatal", _ => throw new InvalidDataException("schema drift"))
            .AddOrchestrator<string, string>("NoRetryOnFatal", async (ctx, _) =>
            {
                var policy = new RetryPolicy(5, TimeSpan.FromMilliseconds(100)) { Handle = ex => !ex.Failure.ErrorType.Contains("InvalidData", StringComparison.Ordinal) };
                try
                {
                    await ctx.CallActivityAsync<string>("Fatal", null, TaskOptions.WithRetry(policy));
                    return "unexpected";
                }
                catch (TaskFailedException ex)
                {
                    return $"caught {ex.Failure.ErrorType}";
                }
            });
        await using var engine = await TestEngine.StartAsync(registry);

        var result = await engine.RunAsync("NoRetryOnFatal");

        Assert.Equal("caught System.IO.InvalidDataException", result.ReadOutputAs<string>());
        var history = await engine.Client.GetHistoryAsync(result.InstanceId);
        Assert.Single(history!, e => e.Type == EventType.TaskFailed);
    }

    [Fact]
    public async Task UnregisteredActivity_FailsTaskWithClearError()
    {
        var registry = new OrchestrationRegistry()
            .AddOrchestrator<object, string?>("CallsMissing", (ctx, _) => ctx.CallActivityAsync<string>("DoesNotExist"));
        await using var engine = await TestEngine.StartAsync(registry);

        var result = await engine.RunAsync("CallsMissing");

        Assert.Equal(OrchestrationStatus.Failed, result.RuntimeStatus);
        Assert.Contains("No activity named 'DoesNotExist'", result.Failure!.Message);
    }

    [Fact]
    public async Task UnregisteredOrchestrator_InstanceFailsWithClearError()
    {
        await using var engine = await TestEngine.StartAsync(new OrchestrationRegistry());

        var result = await engine.RunAsync("Nobody");

        Assert.Equal(OrchestrationStatus.Failed, result.RuntimeStatus);
        Assert.Equal("OrchestratorNotFound", result.Failure!.ErrorType);
    }

    [Fact]
    public async Task SubOrchestration_ResultAndFailure_PropagateToParent()
    {
        var registry = new OrchestrationRegistry()
            .AddActivity<int, int>("Double", x => x * 2)
            .AddOrchestrator<int, int>("Child", async (ctx, x) => x < 0 ? throw new InvalidOperationException("negative") : await ctx.CallActivityAsync<int>("Double", x))
            .AddOrchestrator<object, string>("Parent", async (ctx, _) =>
            {
                var results = await Task.WhenAll(ctx.CallSubOrchestratorAsync<int>("Child", 1), ctx.CallSubOrchestratorAsync<int>("Child", 20));
                try
                {
                    await ctx.CallSubOrchestratorAsync<int>("Child", -1, new TaskOptions { InstanceId = ctx.InstanceId + "-neg" });
                }
                catch (TaskFailedException ex)
                {
                    return $"{results[0]},{results[1]},{ex.Failure.Message}";
                }

                return "no failure";
            });
        await using var engine = await TestEngine.StartAsync(registry);

        var result = await engine.RunAsync("Parent", instanceId: "parent-1");

        Assert.Equal("2,40,negative", result.ReadOutputAs<string>());
        var child = await engine.Client.GetInstanceAsync("parent-1-neg");
        Assert.Equal(OrchestrationStatus.Failed, child!.RuntimeStatus);
        Assert.Equal("parent-1", child.ParentInstanceId);
    }
}
