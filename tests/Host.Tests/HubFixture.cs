using Azure.Data.Tables;
using Serverless.Orchestration;
using Serverless.Orchestration.AzureStorage;
using Serverless.Storage;
using Serverless.Testing;

namespace Serverless.Host.Tests;

/// <summary>A task hub of its own for one test, with a client-only engine and the host settings that point at it.</summary>
public sealed class TestHub : IAsyncDisposable
{
    private TestHub(string name, DurableEngine clientEngine, StorageClients storage, string executionsTable)
    {
        Name = name;
        ClientEngine = clientEngine;
        Storage = storage;
        ExecutionsTable = executionsTable;
    }

    public string Name { get; }

    public DurableEngine ClientEngine { get; }

    public OrchestrationClient Client => ClientEngine.Client;

    public StorageClients Storage { get; }

    public string ExecutionsTable { get; }

    public static async Task<TestHub> CreateAsync(int partitions = 4)
    {
        var storage = new StorageClients(new StorageOptions { ConnectionString = await Azurite.EnsureRunningAsync() });
        var name = TestNames.Unique("hub");
        var engine = new DurableEngine(storage, new TaskHubOptions { TaskHubName = name, PartitionCount = partitions, EnableWorkers = false }, new OrchestrationRegistry());
        await engine.StartAsync();
        var executions = name + "exec";
        await storage.Tables.CreateTableIfNotExistsAsync(executions);
        return new TestHub(name, engine, storage, executions);
    }

    /// <summary>Host settings for a worker of this hub with short visibility timeouts, so crashes recover in seconds.</summary>
    public Dictionary<string, string> HostSettings(string workerId, int partitions = 4, bool faultInjection = false, int maxDequeue = 10, string visibility = "00:00:05") => new()
    {
        ["Serverless:Orchestration:TaskHubName"] = Name,
        ["Serverless:Orchestration:PartitionCount"] = partitions.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Serverless:Orchestration:WorkerId"] = workerId,
        ["Serverless:Orchestration:ControlMessageVisibility"] = visibility,
        ["Serverless:Orchestration:ActivityMessageVisibility"] = "00:00:06",
        ["Serverless:Orchestration:LeaseDuration"] = "00:00:06",
        ["Serverless:Orchestration:LeaseRenewInterval"] = "00:00:01",
        ["Serverless:Orchestration:MaxDequeueCount"] = maxDequeue.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Serverless:Samples:ExecutionsTable"] = ExecutionsTable,
        ["Serverless:Samples:EnableFaultInjection"] = faultInjection ? "true" : "false",
    };

    /// <summary>Executions recorded by Samples.Record, per instance and step.</summary>
    public async Task<Dictionary<(string Instance, int Step), int>> CountExecutionsAsync()
    {
        var counts = new Dictionary<(string, int), int>();
        await foreach (var row in Storage.Tables.GetTableClient(ExecutionsTable).QueryAsync<TableEntity>(select: ["PartitionKey", "Step"]))
        {
            var key = (row.PartitionKey, row.GetInt32("Step") ?? -1);
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }

        return counts;
    }

    /// <summary>Checks one instance's history is a consistent chain of <paramref name="steps"/> activities; returns problems found.</summary>
    public async Task<List<string>> CheckHistoryAsync(string instanceId, int steps)
    {
        var problems = new List<string>();
        var history = await Client.GetHistoryAsync(instanceId);
        if (history is null)
        {
            return [$"{instanceId}: no history"];
        }

        var scheduled = history.Where(e => e.Type == EventType.TaskScheduled).Select(e => e.EventId).ToList();
        var completed = history.Where(e => e.Type == EventType.TaskCompleted).Select(e => e.TaskScheduledId).ToList();
        if (scheduled.Count != steps || scheduled.Distinct().Count() != steps)
        {
            problems.Add($"{instanceId}: {scheduled.Count} TaskScheduled ({scheduled.Distinct().Count()} distinct), expected {steps}");
        }

        if (completed.Count != steps || completed.Distinct().Count() != steps || completed.Except(scheduled).Any())
        {
            problems.Add($"{instanceId}: {completed.Count} TaskCompleted ({completed.Distinct().Count()} distinct), expected {steps} matching the scheduled ones");
        }

        if (history.Count(e => e.Type == EventType.ExecutionStarted) != 1 || history.Count(e => e.Type == EventType.ExecutionCompleted) != 1)
        {
            problems.Add($"{instanceId}: expected one start and one completion event");
        }

        return problems;
    }

    public async ValueTask DisposeAsync() => await ClientEngine.DisposeAsync();
}
