namespace Serverless.Orchestration;

/// <summary>Options for calling an activity or a sub-orchestration.</summary>
public sealed class TaskOptions
{
    /// <summary>Retry policy; no retries when null.</summary>
    public RetryPolicy? Retry { get; init; }

    /// <summary>
    /// For sub-orchestrations: the child's instance id. Defaults to a deterministic id derived from the
    /// parent's id and the action's sequence number.
    /// </summary>
    public string? InstanceId { get; init; }

    /// <summary>Creates options with a retry policy.</summary>
    public static TaskOptions WithRetry(RetryPolicy policy) => new() { Retry = policy };
}
