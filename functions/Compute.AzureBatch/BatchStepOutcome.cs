namespace Serverless.Compute.AzureBatch;

/// <summary>A Batch task's state mapped to what a pipeline step needs to know.</summary>
/// <param name="Status">Pending, running, succeeded or failed.</param>
/// <param name="Failure">Why it failed; <see cref="BatchFailureKind.None"/> unless <see cref="Status"/> is failed.</param>
/// <param name="Code">Batch's failure code, e.g. <c>TaskEnded</c> or <c>FileUploadContainerNotFound</c>.</param>
/// <param name="Message">Batch's failure message, or a description of the exit.</param>
/// <param name="ExitCode">The command's exit code, once known.</param>
/// <param name="RetryCount">Batch's own retries of the task after non-zero exits.</param>
/// <param name="RequeueCount">Times the task went back to the queue (Spot preemption); never a failure by itself.</param>
public sealed record BatchStepOutcome(
    BatchStepStatus Status,
    BatchFailureKind Failure,
    string? Code,
    string? Message,
    int? ExitCode,
    int RetryCount,
    int RequeueCount)
{
    /// <summary>Whether the task was put back in the queue at least once, e.g. after a Spot node was preempted.</summary>
    public bool WasRequeued => RequeueCount > 0;

    /// <summary>Whether the step has finished, one way or the other.</summary>
    public bool IsTerminal => Status is BatchStepStatus.Succeeded or BatchStepStatus.Failed;
}
