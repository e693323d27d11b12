namespace Serverless.Orchestration;

/// <summary>The state of an orchestration instance as clients see it.</summary>
public sealed record OrchestrationMetadata
{
    /// <summary>The instance id.</summary>
    public required string InstanceId { get; init; }

    /// <summary>The current execution id.</summary>
    public required string ExecutionId { get; init; }

    /// <summary>The orchestrator name.</summary>
    public required string Name { get; init; }

    /// <summary>The runtime status.</summary>
    public OrchestrationStatus RuntimeStatus { get; init; }

    /// <summary>When the current execution was created (UTC).</summary>
    public DateTime CreatedAt { get; init; }

    /// <summary>When the instance last changed (UTC).</summary>
    public DateTime LastUpdatedAt { get; init; }

    /// <summary>When the instance reached a terminal status (UTC).</summary>
    public DateTime? CompletedAt { get; init; }

    /// <summary>The input as JSON, when requested.</summary>
    public string? SerializedInput { get; init; }

    /// <summary>The output as JSON (the reason, for terminated instances), when requested.</summary>
    public string? SerializedOutput { get; init; }

    /// <summary>The custom status as JSON.</summary>
    public string? SerializedCustomStatus { get; init; }

    /// <summary>Why the instance failed.</summary>
    public FailureDetails? Failure { get; init; }

    /// <summary>The parent instance of a sub-orchestration.</summary>
    public string? ParentInstanceId { get; init; }

    /// <summary>The output deserialized as <typeparamref name="T"/>.</summary>
    public T? ReadOutputAs<T>() => DataConverter.Deserialize<T>(SerializedOutput);

    /// <summary>The custom status deserialized as <typeparamref name="T"/>.</summary>
    public T? ReadCustomStatusAs<T>() => DataConverter.Deserialize<T>(SerializedCustomStatus);
}

/// <summary>Which instances a query returns.</summary>
public sealed record OrchestrationQuery
{
    /// <summary>Only these statuses; all when null or empty.</summary>
    public IReadOnlyCollection<OrchestrationStatus>? Statuses { get; init; }

    /// <summary>Created at or after this time (UTC).</summary>
    public DateTime? CreatedFrom { get; init; }

    /// <summary>Created before this time (UTC).</summary>
    public DateTime? CreatedTo { get; init; }

    /// <summary>Only ids starting with this prefix.</summary>
    public string? InstanceIdPrefix { get; init; }

    /// <summary>Page size (1–1000).</summary>
    public int PageSize { get; init; } = 100;

    /// <summary>The token from the previous page.</summary>
    public string? ContinuationToken { get; init; }

    /// <summary>Whether to load inputs and outputs stored by reference in blobs.</summary>
    public bool FetchInputsAndOutputs { get; init; }
}

/// <summary>One page of a query.</summary>
/// <param name="Instances">The instances on this page.</param>
/// <param name="ContinuationToken">The token for the next page; null on the last page.</param>
public sealed record OrchestrationQueryResult(IReadOnlyList<OrchestrationMetadata> Instances, string? ContinuationToken);

/// <summary>Which finished instances a purge removes.</summary>
public sealed record PurgeFilter
{
    /// <summary>Created at or after this time (UTC).</summary>
    public DateTime? CreatedFrom { get; init; }

    /// <summary>Created before this time (UTC).</summary>
    public DateTime? CreatedTo { get; init; }

    /// <summary>Completed before this time (UTC).</summary>
    public DateTime? CompletedBefore { get; init; }

    /// <summary>Only these terminal statuses; all terminal statuses when null or empty.</summary>
    public IReadOnlyCollection<OrchestrationStatus>? Statuses { get; init; }
}
