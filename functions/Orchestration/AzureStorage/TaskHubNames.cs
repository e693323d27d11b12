namespace Serverless.Orchestration.AzureStorage;

/// <summary>The storage names of one task hub; see docs/architecture.md for the layout.</summary>
internal sealed class TaskHubNames(string hub, int partitionCount)
{
    public string HistoryTable { get; } = hub + "History";

    public string PartitionsTable { get; } = hub + "Partitions";

    public string PoisonTable { get; } = hub + "Poison";

    public string WorkItemQueue { get; } = hub + "-workitems";

    public string PayloadContainer { get; } = hub + "-payloads";

    public IReadOnlyList<string> ControlQueues { get; } =
        Enumerable.Range(0, partitionCount).Select(i => $"{hub}-control-{i:D2}").ToArray();

    /// <summary>The partition an instance belongs to: FNV-1a of its id, so every host agrees.</summary>
    public int PartitionOf(string instanceId)
    {
        var hash = 2166136261u;
        foreach (var c in instanceId)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash % (uint)ControlQueues.Count);
    }
}
