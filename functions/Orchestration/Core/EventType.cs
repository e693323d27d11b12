namespace Serverless.Orchestration;

/// <summary>The kinds of event an orchestration's history is made of.</summary>
public enum EventType
{
    /// <summary>An episode of the orchestrator began; its timestamp is the orchestration's current time.</summary>
    OrchestratorStarted,

    /// <summary>The execution started with its name and input.</summary>
    ExecutionStarted,

    /// <summary>The execution ended (completed, failed, continued as new or terminated).</summary>
    ExecutionCompleted,

    /// <summary>A terminate request arrived.</summary>
    ExecutionTerminated,

    /// <summary>A suspend request arrived.</summary>
    ExecutionSuspended,

    /// <summary>A resume request arrived.</summary>
    ExecutionResumed,

    /// <summary>The orchestrator scheduled an activity.</summary>
    TaskScheduled,

    /// <summary>An activity returned a result.</summary>
    TaskCompleted,

    /// <summary>An activity threw, or was given up on as a poison message.</summary>
    TaskFailed,

    /// <summary>The orchestrator started a sub-orchestration.</summary>
    SubOrchestrationCreated,

    /// <summary>A sub-orchestration completed.</summary>
    SubOrchestrationCompleted,

    /// <summary>A sub-orchestration failed or was terminated.</summary>
    SubOrchestrationFailed,

    /// <summary>The orchestrator created a durable timer.</summary>
    TimerCreated,

    /// <summary>A durable timer fired.</summary>
    TimerFired,

    /// <summary>An external event arrived.</summary>
    EventRaised,

    /// <summary>The orchestrator sent an event to another instance.</summary>
    EventSent,
}
