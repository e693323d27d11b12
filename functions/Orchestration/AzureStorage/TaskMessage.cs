namespace Serverless.Orchestration.AzureStorage;

/// <summary>
/// The body of every queue message: events for one instance. <see cref="Id"/> is deterministic for
/// messages an orchestration sends, so a re-sent message after a crash is recognised as a duplicate.
/// </summary>
internal sealed record TaskMessage
{
    public required string Id { get; init; }

    public required string InstanceId { get; init; }

    /// <summary>The execution the events are for; null means whatever execution is current.</summary>
    public string? ExecutionId { get; init; }

    /// <summary>The events, in order. Usually one; a continued-as-new start carries the events it keeps.</summary>
    public List<HistoryEvent>? Events { get; init; }

    /// <summary>When the events are too large for a queue message: the blob holding them.</summary>
    public string? EventsBlob { get; init; }

    /// <summary>How many times the message was put back to wait for what it depends on.</summary>
    public int Requeues { get; init; }

    /// <summary>When the message was first created (UTC); tells a new start from a stale one.</summary>
    public DateTime CreatedTime { get; init; }

    /// <summary>
    /// Deliveries the queue does not count: 1 when the copy was sent already invisible and handed to a
    /// local poller (see <see cref="LocalInbox"/>). Added to the queue's dequeue count, so a worker that
    /// dies running a hand-off still counts toward the poison limit.
    /// </summary>
    public int HandOffs { get; init; }
}

/// <summary>A message taken from a queue, with what is needed to delete or release it.</summary>
internal sealed class ReceivedMessage
{
    public required TaskMessage Body { get; init; }

    public required IReadOnlyList<HistoryEvent> Events { get; init; }

    public required string QueueMessageId { get; init; }

    public required string PopReceipt { get; set; }

    public required long DequeueCount { get; init; }

    public required int Partition { get; init; }

    public HistoryEvent First => Events[0];
}
