namespace Serverless.Orchestration;

/// <summary>
/// Thrown inside an orchestrator when an activity or sub-orchestration it awaited failed. Catch it to
/// compensate; let it escape to fail the orchestration.
/// </summary>
public sealed class TaskFailedException : Exception
{
    /// <summary>Creates the exception for the named task.</summary>
    public TaskFailedException(string taskName, int taskId, FailureDetails failure)
        : base($"Task '{taskName}' (#{taskId}) failed: {failure.ErrorType}: {failure.Message}")
    {
        TaskName = taskName;
        TaskId = taskId;
        Failure = failure;
    }

    /// <summary>The activity or orchestrator name.</summary>
    public string TaskName { get; }

    /// <summary>The action's sequence number in the history.</summary>
    public int TaskId { get; }

    /// <summary>What went wrong in the task.</summary>
    public FailureDetails Failure { get; }
}
