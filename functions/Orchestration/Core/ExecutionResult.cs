namespace Serverless.Orchestration;

/// <summary>What one episode of an orchestrator produced.</summary>
internal sealed class ExecutionResult
{
    /// <summary>Events to append after the episode's input events: new actions, then the completion event if any.</summary>
    public List<HistoryEvent> NewEvents { get; } = [];

    /// <summary>Status after the episode.</summary>
    public OrchestrationStatus Status { get; set; } = OrchestrationStatus.Running;

    /// <summary>Output (completed), reason (terminated) or input of the next execution (continued as new).</summary>
    public string? Output { get; set; }

    public FailureDetails? Failure { get; set; }

    public string? CustomStatus { get; set; }

    public bool CustomStatusChanged { get; set; }

    /// <summary>For ContinueAsNew: events not consumed, to be delivered to the next execution.</summary>
    public List<HistoryEvent> CarryOverEvents { get; } = [];
}
