using Serverless.Orchestration;
using Serverless.Pipelines.Attempts;
using Serverless.Pipelines.Execution;
using Serverless.Pipelines.Planning;

namespace Serverless.Pipelines.Orchestration;

/// <summary>
/// The <see cref="StepAttempts.LocalOrchestration"/> sub-orchestration: one activity runs the step to completion
/// while the orchestrator waits for <see cref="StepAttempts.CancelEvent"/>; on cancel a second activity writes the
/// cancel marker the running activity polls for, and the attempt returns the Cancelled result it then reports.
/// </summary>
internal static class LocalStepAttempt
{
    public static async Task<StepExecutionResult> RunAsync(OrchestrationContext context, StepAttemptInput? input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var run = context.CallActivityAsync<StepExecutionResult>(PipelineRunNames.LocalRun, input);
        var cancel = context.WaitForExternalEvent<object>(StepAttempts.CancelEvent);
        try
        {
            if (await Task.WhenAny(run, cancel) == cancel)
            {
                await context.CallActivityAsync(PipelineRunNames.LocalCancel, context.InstanceId);
            }

            return await run ?? Infrastructure(input, "the step activity returned no result");
        }
        catch (TaskFailedException ex)
        {
            return Infrastructure(input, $"{ex.Failure.ErrorType}: {ex.Failure.Message}");
        }
    }

    private static StepExecutionResult Infrastructure(StepAttemptInput input, string reason) => new()
    {
        Key = input.Key,
        Attempt = input.Attempt,
        Succeeded = false,
        FailureKind = FailureKind.Infrastructure,
        FailureReason = reason,
    };
}
