using Azure.Data.Tables;
using Serverless.Orchestration;
using Serverless.Storage;

namespace Serverless.Host.Samples;

/// <summary>
/// Small orchestrations that exercise the engine end to end without any ML: the README demo, the
/// deployment self-test, the crash and scale-out tests and the benchmarks run these.
/// </summary>
internal static class SampleOrchestrations
{
    public static void Register(OrchestrationRegistry registry, StorageClients storage, SampleOptions options)
    {
        var executions = storage.Tables.GetTableClient(options.ExecutionsTable);
        var tableReady = new Lazy<Task>(() => executions.CreateIfNotExistsAsync());

        registry
            .AddActivity<string, string>("Samples.SayHello", name => $"Hello {name}!")
            .AddOrchestrator<string[], List<string?>>("Samples.HelloSequence", async (ctx, names) =>
            {
                var greetings = new List<string?>();
                foreach (var name in names ?? ["Tokyo", "Seattle", "London"])
                {
                    greetings.Add(await ctx.CallActivityAsync<string>("Samples.SayHello", name));
                    ctx.SetCustomStatus(new { done = greetings.Count });
                }

                return greetings;
            })
            .AddActivity<object, int>("Samples.Noop", _ => 0)
            .AddOrchestrator<ChainInput, int>("Samples.Chain", async (ctx, input) =>
            {
                input ??= new ChainInput();
                var activity = input.Record ? "Samples.Record" : "Samples.Noop";
                for (var i = 0; i < input.Steps; i++)
                {
                    await ctx.CallActivityAsync(activity, new RecordInput(ctx.InstanceId, i, input.DelayMs));
                }

                return input.Steps;
            })
            .AddOrchestrator<ChainInput, int>("Samples.FanOut", async (ctx, input) =>
            {
                input ??= new ChainInput();
                var activity = input.Record ? "Samples.Record" : "Samples.Noop";
                var results = await Task.WhenAll(Enumerable.Range(0, input.Steps)
                    .Select(i => ctx.CallActivityAsync<int>(activity, new RecordInput(ctx.InstanceId, i, input.DelayMs))));
                return results.Length;
            })
            .AddActivity<RecordInput, int>("Samples.Record", async (ctx, input) =>
            {
                // One row per execution (never overwritten), so duplicate executions are countable.
                await tableReady.Value;
                if (input!.DelayMs > 0)
                {
                    await Task.Delay(input.DelayMs, ctx.CancellationToken);
                }

                await executions.AddEntityAsync(new TableEntity(input.InstanceId, $"{input.Step:D6}-{Guid.NewGuid():N}")
                {
                    ["Step"] = input.Step,
                    ["Pid"] = Environment.ProcessId,
                });
                return input.Step;
            });

        if (options.EnableFaultInjection)
        {
            registry.AddActivity<object, int>("Samples.Crash", _ =>
            {
                Environment.FailFast("Samples.Crash: fault injection ended the process on purpose.");
                return 0;
            });
            registry.AddOrchestrator<object, int?>("Samples.CallCrash", (ctx, _) => ctx.CallActivityAsync<int?>("Samples.Crash"));
        }
    }
}

/// <summary>Input of the chain and fan-out samples.</summary>
/// <param name="Steps">Number of activities.</param>
/// <param name="Record">Write an execution row per activity (for duplicate counting).</param>
/// <param name="DelayMs">Time each activity spends.</param>
internal sealed record ChainInput(int Steps = 10, bool Record = false, int DelayMs = 0);

/// <summary>Input of one recorded activity.</summary>
internal sealed record RecordInput(string InstanceId, int Step, int DelayMs);
