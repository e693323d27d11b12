namespace Serverless.Orchestration;

/// <summary>Options for starting an orchestration.</summary>
public sealed class StartOrchestrationOptions
{
    /// <summary>The instance id; a new GUID when null. Starting an id whose instance is still running is refused.</summary>
    public string? InstanceId { get; init; }

    /// <summary>Start no earlier than this time (UTC).</summary>
    public DateTime? StartAt { get; init; }
}
