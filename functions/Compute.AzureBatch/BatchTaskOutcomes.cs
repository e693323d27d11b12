using Serverless.Compute.AzureBatch.Models;

namespace Serverless.Compute.AzureBatch;

/// <summary>Maps a Batch task to a step outcome; pure, so the orchestration can call it while replaying.</summary>
public static class BatchTaskOutcomes
{
    /// <summary>Batch may end a task a moment before or after the limit; within this it counts as a timeout.</summary>
    private static readonly TimeSpan s_wallClockTolerance = TimeSpan.FromSeconds(2);

    /// <summary>Maps <paramref name="task"/> as read by <see cref="BatchClient.GetTaskAsync"/>.</summary>
    /// <exception cref="ArgumentException">The task has no or an unknown <c>state</c>.</exception>
    public static BatchStepOutcome FromTask(BatchTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        var info = task.ExecutionInfo;
        var retries = info?.RetryCount ?? 0;
        var requeues = info?.RequeueCount ?? 0;
        switch (task.State)
        {
            case BatchTaskStates.Active:
                return new(BatchStepStatus.Pending, BatchFailureKind.None, null, null, null, retries, requeues);
            case BatchTaskStates.Preparing:
            case BatchTaskStates.Running:
                return new(BatchStepStatus.Running, BatchFailureKind.None, null, null, null, retries, requeues);
            case BatchTaskStates.Completed:
                return Completed(task, info, retries, requeues);
            default:
                throw new ArgumentException(
                    $"Batch task '{task.Id}' has state '{task.State}', which is none of active, preparing, running, completed.",
                    nameof(task));
        }
    }

    private static BatchStepOutcome Completed(BatchTask task, BatchTaskExecutionInfo? info, int retries, int requeues)
    {
        var failure = info?.FailureInfo;
        var exitCode = info?.ExitCode;
        // Decide on the result, not the exit code: a download or upload failure leaves exit code 0 with a failureInfo.
        var succeeded = info?.Result is { } result
            ? string.Equals(result, BatchTaskExecutionInfo.SuccessResult, StringComparison.OrdinalIgnoreCase)
            : failure is null && exitCode == 0;
        if (succeeded)
        {
            return new(BatchStepStatus.Succeeded, BatchFailureKind.None, null, null, exitCode, retries, requeues);
        }

        var kind = Classify(task, info, failure);
        var message = failure?.Message
            ?? (exitCode is { } code ? $"The step's command exited with code {code}." : "The task failed without failure details.");
        return new(BatchStepStatus.Failed, kind, failure?.Code, message, exitCode, retries, requeues);
    }

    private static BatchFailureKind Classify(BatchTask task, BatchTaskExecutionInfo? info, BatchFailureInfo? failure)
    {
        if (string.Equals(failure?.Code, BatchErrorCodes.TaskEnded, StringComparison.OrdinalIgnoreCase))
        {
            // Batch uses TaskEnded both for a terminate request and for maxWallClockTime; the run time tells them apart.
            return RanIntoWallClock(task, info) ? BatchFailureKind.TimedOut : BatchFailureKind.Terminated;
        }

        return string.Equals(failure?.Category, BatchFailureInfo.ServerErrorCategory, StringComparison.OrdinalIgnoreCase)
            ? BatchFailureKind.Infrastructure
            : BatchFailureKind.UserError;
    }

    private static bool RanIntoWallClock(BatchTask task, BatchTaskExecutionInfo? info) =>
        task.Constraints?.MaxWallClockTime is { } limit
        && info?.StartTime is { } start
        && info.EndTime is { } end
        && end - start >= limit - s_wallClockTolerance;
}
