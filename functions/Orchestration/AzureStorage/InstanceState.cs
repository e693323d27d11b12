using Azure;

namespace Serverless.Orchestration.AzureStorage;

/// <summary>
/// An instance as stored: the instance row's fields plus the current execution's history. Cached
/// between episodes by the worker that owns the instance's partition; the row's ETag tells whether
/// the cached copy is still the stored one.
/// </summary>
internal sealed class InstanceState
{
    private HashSet<string>? _messageIds;
    private HashSet<int>? _scheduled;
    private HashSet<int>? _responded;

    public required string InstanceId { get; init; }

    public required string ExecutionId { get; set; }

    public required string Name { get; set; }

    public OrchestrationStatus Status { get; set; }

    public DateTime CreatedTime { get; set; }

    public DateTime LastUpdatedTime { get; set; }

    public DateTime? CompletedTime { get; set; }

    public string? Input { get; set; }

    public string? Output { get; set; }

    public string? CustomStatus { get; set; }

    public FailureDetails? Failure { get; set; }

    public string? ParentInstanceId { get; set; }

    /// <summary>The history count the instance row held when read.</summary>
    public int RowHistoryCount { get; init; }

    /// <summary>The instance row's ETag; null when the row has not been written yet.</summary>
    public ETag? ETag { get; set; }

    /// <summary>Large column values already stored in blobs, so an unchanged value is not uploaded again.</summary>
    public Dictionary<string, (string Value, string Blob)> OffloadedColumns { get; } = [];

    /// <summary>The current execution's committed history.</summary>
    public List<HistoryEvent> History { get; set; } = [];

    public bool HasStarted => History.Count > 0;

    /// <summary>Ids of messages already applied, to drop redeliveries.</summary>
    public HashSet<string> MessageIds => _messageIds ??= History.Where(e => e.MessageId is not null).Select(e => e.MessageId!).ToHashSet();

    /// <summary>Sequence numbers of actions in the history.</summary>
    public HashSet<int> Scheduled => _scheduled ??= History
        .Where(e => e.Type is EventType.TaskScheduled or EventType.TimerCreated or EventType.SubOrchestrationCreated)
        .Select(e => e.EventId).ToHashSet();

    /// <summary>Sequence numbers of actions that already have their response.</summary>
    public HashSet<int> Responded => _responded ??= History
        .Where(e => e.TaskScheduledId >= 0)
        .Select(e => e.TaskScheduledId).ToHashSet();

    /// <summary>Appends committed events and keeps the indexes current.</summary>
    public void Append(IEnumerable<HistoryEvent> events)
    {
        foreach (var e in events)
        {
            History.Add(e);
            if (e.MessageId is not null)
            {
                _messageIds?.Add(e.MessageId);
            }

            if (e.Type is EventType.TaskScheduled or EventType.TimerCreated or EventType.SubOrchestrationCreated)
            {
                _scheduled?.Add(e.EventId);
            }

            if (e.TaskScheduledId >= 0)
            {
                _responded?.Add(e.TaskScheduledId);
            }
        }
    }

    /// <summary>Starts a new execution in place (restart of a finished instance, or continue-as-new).</summary>
    public void ResetForExecution(string executionId, string name, string? input, DateTime createdTime, string? parentInstanceId)
    {
        ExecutionId = executionId;
        Name = name;
        Input = input;
        Output = null;
        CustomStatus = null;
        Failure = null;
        CompletedTime = null;
        CreatedTime = createdTime;
        ParentInstanceId = parentInstanceId;
        Status = OrchestrationStatus.Pending;
        History = [];
        _messageIds = null;
        _scheduled = null;
        _responded = null;
    }

    public OrchestrationMetadata ToMetadata() => new()
    {
        InstanceId = InstanceId,
        ExecutionId = ExecutionId,
        Name = Name,
        RuntimeStatus = Status,
        CreatedAt = CreatedTime,
        LastUpdatedAt = LastUpdatedTime,
        CompletedAt = CompletedTime,
        SerializedInput = Input,
        SerializedOutput = Output,
        SerializedCustomStatus = CustomStatus,
        Failure = Failure,
        ParentInstanceId = ParentInstanceId,
    };
}
