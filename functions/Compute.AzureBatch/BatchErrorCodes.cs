namespace Serverless.Compute.AzureBatch;

/// <summary>The Batch error codes the platform reacts to.</summary>
public static class BatchErrorCodes
{
    /// <summary>409 on job creation: the job is there already, which a retried create treats as success.</summary>
    public const string JobExists = "JobExists";

    /// <summary>409 on task creation: the task is there already.</summary>
    public const string TaskExists = "TaskExists";

    /// <summary>404: no such job.</summary>
    public const string JobNotFound = "JobNotFound";

    /// <summary>404: no such task.</summary>
    public const string TaskNotFound = "TaskNotFound";

    /// <summary>409: terminating or changing a job that has completed already.</summary>
    public const string JobCompleted = "JobCompleted";

    /// <summary>409: terminating a task that has completed already.</summary>
    public const string TaskCompleted = "TaskCompleted";

    /// <summary>503: Batch is busy; retried with backoff.</summary>
    public const string ServerBusy = "ServerBusy";

    /// <summary>500: the operation timed out on the server.</summary>
    public const string OperationTimedOut = "OperationTimedOut";

    /// <summary>The failure code Batch puts on a task it ended, at the caller's request or at <c>maxWallClockTime</c>.</summary>
    public const string TaskEnded = "TaskEnded";
}
