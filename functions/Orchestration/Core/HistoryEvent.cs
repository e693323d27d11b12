namespace Serverless.Orchestration;

/// <summary>
/// One event of an orchestration's history. A single shape for every <see cref="EventType"/> keeps
/// storage and the HTTP history view simple; fields a type does not use stay null or -1.
/// </summary>
public sealed record HistoryEvent
{
    /// <summary>What happened.</summary>
    public required EventType Type { get; init; }

    /// <summary>When it was recorded (UTC).</summary>
    public DateTime Timestamp { get; init; }

    /// <summary>For actions the orchestrator took (scheduled, created, sent): their sequence number.</summary>
    public int EventId { get; init; } = -1;

    /// <summary>For responses (completed, failed, fired): the <see cref="EventId"/> of the action answered.</summary>
    public int TaskScheduledId { get; init; } = -1;

    /// <summary>Activity, orchestrator or event name.</summary>
    public string? Name { get; init; }

    /// <summary>Serialized input (JSON).</summary>
    public string? Input { get; init; }

    /// <summary>Serialized result or output (JSON).</summary>
    public string? Result { get; init; }

    /// <summary>Failure details for failed tasks and executions.</summary>
    public FailureDetails? Failure { get; init; }

    /// <summary>The other instance involved: a sub-orchestration's id, or an event's target.</summary>
    public string? InstanceId { get; init; }

    /// <summary>For <see cref="EventType.ExecutionStarted"/>: the new execution's id.</summary>
    public string? ExecutionId { get; init; }

    /// <summary>For timers: when the timer fires (UTC).</summary>
    public DateTime? FireAt { get; init; }

    /// <summary>For <see cref="EventType.ExecutionCompleted"/>: the final status.</summary>
    public OrchestrationStatus? Status { get; init; }

    /// <summary>Reason given with terminate, suspend and resume requests.</summary>
    public string? Reason { get; init; }

    /// <summary>For <see cref="EventType.ExecutionStarted"/> of a sub-orchestration: its parent.</summary>
    public ParentInstance? Parent { get; init; }

    /// <summary>The id of the queue message this event arrived in; used to drop duplicate deliveries.</summary>
    public string? MessageId { get; init; }
}

/// <summary>The orchestration that started a sub-orchestration, and the action it waits on.</summary>
/// <param name="InstanceId">The parent instance.</param>
/// <param name="ExecutionId">The parent execution.</param>
/// <param name="TaskScheduledId">The parent's event id for the sub-orchestration action.</param>
public sealed record ParentInstance(string InstanceId, string ExecutionId, int TaskScheduledId);
