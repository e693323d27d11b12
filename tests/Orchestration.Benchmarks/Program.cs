using System.Diagnostics;
using System.Globalization;
using Azure.Data.Tables;
using Serverless.Orchestration;
using Serverless.Orchestration.AzureStorage;
using Serverless.Storage;
using Serverless.Testing;

// Measures the engine on this machine against Azurite: the storage floor, a sequential chain, a
// fan-out/fan-in and warm start-to-first-activity latency. Prints a Markdown section for
// docs/benchmarks.md.
var chainLength = Arg("--chain", 100);
var fanOut = Arg("--fanout", 1000);
var starts = Arg("--starts", 30);

var storage = new StorageClients(new StorageOptions { ConnectionString = await Azurite.EnsureRunningAsync() });
var firstActivity = new System.Collections.Concurrent.ConcurrentDictionary<string, long>();
var registry = new OrchestrationRegistry()
    .AddActivity<int, int>("Noop", x => x)
    .AddActivity<string, int>("Mark", (ctx, _) =>
    {
        firstActivity.TryAdd(ctx.InstanceId, Stopwatch.GetTimestamp());
        return Task.FromResult(0);
    })
    .AddOrchestrator<int, int>("Chain", async (ctx, n) =>
    {
        for (var i = 0; i < n; i++)
        {
            await ctx.CallActivityAsync<int>("Noop", i);
        }

        return n;
    })
    .AddOrchestrator<int, int>("FanOut", async (ctx, n) =>
        (await Task.WhenAll(Enumerable.Range(0, n).Select(i => ctx.CallActivityAsync<int>("Noop", i)))).Length)
    .AddOrchestrator<object, int>("StartLatency", (ctx, _) => ctx.CallActivityAsync<int>("Mark", "x"));

// --no-handoff and --calls-per-message 1 measure the engine without its two latest optimisations, for comparison.
var options = new TaskHubOptions
{
    TaskHubName = TestNames.Unique("bench"),
    PartitionCount = 4,
    LocalHandOff = !args.Contains("--no-handoff"),
    ActivityCallsPerMessage = Arg("--calls-per-message", 16),
};
await using var engine = new DurableEngine(storage, options, registry);
await engine.StartAsync();
var client = engine.Client;

// 1. The floor: the storage operations one sequential step needs, measured in this run.
var floor = await MeasureFloorAsync(storage, options.TaskHubName);

// Warm-up: JIT, connections.
await RunAsync("Chain", 5);
await RunAsync("FanOut", 20);

// 2. Sequential chain.
var chainWatch = Stopwatch.StartNew();
var chainId = await RunAsync("Chain", chainLength);
chainWatch.Stop();
var chainHistory = (await client.GetHistoryAsync(chainId))!;
var completions = chainHistory.Where(e => e.Type == EventType.TaskCompleted).Select(e => e.Timestamp).ToList();
var stepMs = completions.Zip(completions.Skip(1), (a, b) => (b - a).TotalMilliseconds).OrderBy(x => x).ToList();

// 3. Fan-out / fan-in.
var fanWatch = Stopwatch.StartNew();
var fanId = await RunAsync("FanOut", fanOut);
fanWatch.Stop();
if (args.Contains("--episodes"))
{
    var fh = (await client.GetHistoryAsync(fanId))!;
    var t0 = fh[0].Timestamp;
    var count = 0;
    foreach (var e in fh)
    {
        if (e.Type == EventType.OrchestratorStarted)
        {
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"episode at +{(e.Timestamp - t0).TotalMilliseconds:F0} ms after {count} completions"));
        }
        else if (e.Type == EventType.TaskCompleted)
        {
            count++;
        }
    }
}

// 4. Warm start to first activity, one at a time on an idle host.
var latencies = new List<double>();
for (var i = 0; i < starts; i++)
{
    await Task.Delay(200);
    var begin = Stopwatch.GetTimestamp();
    var id = await client.StartNewAsync("StartLatency");
    while (!firstActivity.ContainsKey(id))
    {
        await Task.Delay(1);
    }

    latencies.Add(Stopwatch.GetElapsedTime(begin, firstActivity[id]).TotalMilliseconds);
    using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
    await client.WaitForCompletionAsync(id, cts.Token);
}

latencies.Sort();
var inv = CultureInfo.InvariantCulture;
Console.WriteLine($"## Durable engine ({DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores, Azurite, partitions={options.PartitionCount}, hand-off={options.LocalHandOff}, calls/message={options.ActivityCallsPerMessage}, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]})");
Console.WriteLine();
Console.WriteLine("| measurement | result | target |");
Console.WriteLine("|---|---|---|");
Console.WriteLine(string.Create(inv, $"| sequential chain of {chainLength} no-op activities | {chainLength / chainWatch.Elapsed.TotalSeconds:F1} activities/s ({chainWatch.Elapsed.TotalSeconds:F2} s); per step p50 {Pct(stepMs, 50):F1} ms, p95 {Pct(stepMs, 95):F1} ms | ≥ 50 activities/s |"));
Console.WriteLine(string.Create(inv, $"| fan-out/fan-in of {fanOut} no-op activities | {fanOut / fanWatch.Elapsed.TotalSeconds:F1} activities/s ({fanWatch.Elapsed.TotalSeconds:F2} s) | ≥ 300 activities/s |"));
Console.WriteLine(string.Create(inv, $"| warm start → first activity ({starts} starts) | p50 {Pct(latencies, 50):F1} ms, p95 {Pct(latencies, 95):F1} ms | ≤ 50 ms |"));
Console.WriteLine();
Console.WriteLine("Storage floor measured in the same run (median of 50 each):");
Console.WriteLine();
Console.WriteLine("| operation | median ms |");
Console.WriteLine("|---|---|");
foreach (var (name, ms) in floor)
{
    Console.WriteLine(string.Create(inv, $"| {name} | {ms:F2} |"));
}

Console.WriteLine(string.Create(inv, $"| one sequential step needs ≈ 2 sends + 2 receives + 2 deletes + 1 batch ≈ {2 * floor[0].Ms + 2 * floor[1].Ms + 2 * floor[2].Ms + floor[3].Ms:F2} ms | |"));

await engine.StopAsync();
return;

async Task<string> RunAsync(string name, int input)
{
    var id = await client.StartNewAsync(name, input);
    using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
    var result = await client.WaitForCompletionAsync(id, cts.Token);
    if (result.RuntimeStatus != OrchestrationStatus.Completed)
    {
        throw new InvalidOperationException($"{name} ended {result.RuntimeStatus}: {result.Failure}");
    }

    return id;
}

static double Pct(List<double> sorted, int p) => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p / 100.0 * sorted.Count) - 1)];

int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

static async Task<List<(string Name, double Ms)>> MeasureFloorAsync(StorageClients storage, string hub)
{
    var queue = storage.Queues.GetQueueClient(hub + "-floor");
    await queue.CreateIfNotExistsAsync();
    var table = storage.Tables.GetTableClient(hub + "Floor");
    await table.CreateIfNotExistsAsync();
    var send = new List<double>();
    var receive = new List<double>();
    var delete = new List<double>();
    var batch = new List<double>();
    var query = new List<double>();
    for (var i = 0; i < 50; i++)
    {
        var sw = Stopwatch.StartNew();
        await queue.SendMessageAsync("{\"id\":\"x\"}");
        send.Add(sw.Elapsed.TotalMilliseconds);
        sw.Restart();
        var m = (await queue.ReceiveMessagesAsync(32)).Value;
        receive.Add(sw.Elapsed.TotalMilliseconds);
        sw.Restart();
        await queue.DeleteMessageAsync(m[0].MessageId, m[0].PopReceipt);
        delete.Add(sw.Elapsed.TotalMilliseconds);
        sw.Restart();
        await table.SubmitTransactionAsync(
        [
            new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity("p", $"r{i}a") { ["v"] = i }),
            new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity("p", $"r{i}b") { ["v"] = i }),
        ]);
        batch.Add(sw.Elapsed.TotalMilliseconds);
        sw.Restart();
        await foreach (var _ in table.QueryAsync<TableEntity>(e => e.PartitionKey == "p", maxPerPage: 10).AsPages(pageSizeHint: 10))
        {
            break;
        }

        query.Add(sw.Elapsed.TotalMilliseconds);
    }

    return [("queue send", Median(send)), ("queue receive (1 message)", Median(receive)), ("queue delete", Median(delete)),
        ("table transaction (2 rows)", Median(batch)), ("partition query (10 rows)", Median(query))];

    static double Median(List<double> xs)
    {
        xs.Sort();
        return xs[xs.Count / 2];
    }
}
