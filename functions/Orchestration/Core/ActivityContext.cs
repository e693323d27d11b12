namespace Serverless.Orchestration;

/// <summary>What an activity is told about the call it serves.</summary>
public sealed class ActivityContext
{
    internal ActivityContext(string name, string instanceId, string executionId, int taskId, string? input, int dequeueCount, CancellationToken cancellationToken)
    {
        Name = name;
        InstanceId = instanceId;
        ExecutionId = executionId;
        TaskId = taskId;
        RawInput = input;
        DequeueCount = dequeueCount;
        CancellationToken = cancellationToken;
    }

    /// <summary>The activity name.</summary>
    public string Name { get; }

    /// <summary>The orchestration instance that scheduled the call.</summary>
    public string InstanceId { get; }

    /// <summary>The orchestration execution that scheduled the call.</summary>
    public string ExecutionId { get; }

    /// <summary>The call's sequence number in the orchestration's history; stable across redeliveries.</summary>
    public int TaskId { get; }

    /// <summary>The input as JSON text.</summary>
    public string? RawInput { get; }

    /// <summary>How many times this call's message has been delivered (1 on the first delivery).</summary>
    public int DequeueCount { get; }

    /// <summary>Signalled when the host shuts down.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>The input deserialized as <typeparamref name="T"/>.</summary>
    public T? GetInput<T>() => DataConverter.Deserialize<T>(RawInput);
}
