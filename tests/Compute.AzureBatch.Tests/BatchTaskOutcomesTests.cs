using Serverless.Compute.AzureBatch.Models;

namespace Serverless.Compute.AzureBatch.Tests;

public sealed class BatchTaskOutcomesTests
{
    private static readonly DateTimeOffset s_start = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);

    private static BatchTask Completed(string? result, int? exit, string? category = null, string? code = null, TimeSpan? ran = null, TimeSpan? limit = null) => new()
    {
        Id = "t",
        State = BatchTaskStates.Completed,
        Constraints = new BatchTaskConstraints { MaxWallClockTime = limit },
        ExecutionInfo = new BatchTaskExecutionInfo
        {
            Result = result,
            ExitCode = exit,
            StartTime = s_start,
            EndTime = s_start + (ran ?? TimeSpan.FromMinutes(1)),
            FailureInfo = code is null ? null : new BatchFailureInfo { Category = category, Code = code, Message = "m" },
        },
    };

    [Fact]
    public void FromTask_ServerError_IsInfrastructureNotUserError()
    {
        var outcome = BatchTaskOutcomes.FromTask(Completed("failure", null, "servererror", "NodeUnusable"));

        Assert.Equal((BatchStepStatus.Failed, BatchFailureKind.Infrastructure), (outcome.Status, outcome.Failure));
    }

    [Fact]
    public void FromTask_UploadFailureWithExitZero_IsFailureBecauseResultDecides()
    {
        var outcome = BatchTaskOutcomes.FromTask(Completed("failure", 0, "usererror", "FileUploadContainerNotFound"));

        Assert.Equal((BatchStepStatus.Failed, BatchFailureKind.UserError), (outcome.Status, outcome.Failure));
        Assert.Equal("FileUploadContainerNotFound", outcome.Code);
    }

    [Fact]
    public void FromTask_TaskEndedBeforeLimit_IsTerminatedNotTimeout()
    {
        var outcome = BatchTaskOutcomes.FromTask(Completed("failure", -1, "usererror", "TaskEnded", ran: TimeSpan.FromMinutes(5), limit: TimeSpan.FromHours(1)));

        Assert.Equal(BatchFailureKind.Terminated, outcome.Failure);
    }

    [Fact]
    public void FromTask_TaskEndedAtLimit_IsTimeout()
    {
        var outcome = BatchTaskOutcomes.FromTask(Completed("failure", -1, "servererror", "TaskEnded", ran: TimeSpan.FromHours(1), limit: TimeSpan.FromHours(1)));

        Assert.Equal(BatchFailureKind.TimedOut, outcome.Failure);
    }

    [Fact]
    public void FromTask_NoResultField_FallsBackToExitCode()
    {
        Assert.Equal(BatchStepStatus.Succeeded, BatchTaskOutcomes.FromTask(Completed(null, 0)).Status);
        var failed = BatchTaskOutcomes.FromTask(Completed(null, 2));
        Assert.Equal((BatchStepStatus.Failed, BatchFailureKind.UserError, 2), (failed.Status, failed.Failure, failed.ExitCode));
        Assert.Contains("exited with code 2", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromTask_UnknownState_ClearError()
    {
        var ex = Assert.Throws<ArgumentException>(() => BatchTaskOutcomes.FromTask(new BatchTask { Id = "t9", State = "exploded" }));

        Assert.Contains("t9", ex.Message, StringComparison.Ordinal);
        Assert.Contains("exploded", ex.Message, StringComparison.Ordinal);
    }
}
