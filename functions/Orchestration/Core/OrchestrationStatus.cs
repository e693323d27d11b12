namespace Serverless.Orchestration;

/// <summary>
/// The runtime status of an orchestration instance; names and numbers match Durable Functions'
/// <c>OrchestrationRuntimeStatus</c> so existing tools read them unchanged.
/// </summary>
public enum OrchestrationStatus
{
    /// <summary>Unknown status.</summary>
    Unknown = -1,

    /// <summary>The orchestrator is running (or waiting for its next event).</summary>
    Running = 0,

    /// <summary>Finished successfully.</summary>
    Completed = 1,

    /// <summary>Restarted with new input; a transient status.</summary>
    ContinuedAsNew = 2,

    /// <summary>Finished with an error.</summary>
    Failed = 3,

    /// <summary>Cancelled.</summary>
    Canceled = 4,

    /// <summary>Stopped by a terminate request.</summary>
    Terminated = 5,

    /// <summary>Scheduled but not yet started by a worker.</summary>
    Pending = 6,

    /// <summary>Suspended; events are kept until it is resumed.</summary>
    Suspended = 7,
}

/// <summary>Helpers on <see cref="OrchestrationStatus"/>.</summary>
public static class OrchestrationStatusExtensions
{
    /// <summary>Whether the status is final (no further events are processed).</summary>
    public static bool IsTerminal(this OrchestrationStatus status) =>
        status is OrchestrationStatus.Completed or OrchestrationStatus.Failed
            or OrchestrationStatus.Terminated or OrchestrationStatus.Canceled;
}
