using System.Globalization;
using Serverless.Orchestration;
using Serverless.Pipelines.Attempts;
using Serverless.Pipelines.Execution;
using Serverless.Pipelines.Planning;

namespace Serverless.Compute.AzureBatch.Steps;

/// <summary>
/// The <c>Pipelines.Step.Batch</c> sub-orchestration: runs one step attempt as an Azure Batch task with the
/// monitor pattern. Submit once, then sleep on a durable timer (backing off from
/// <see cref="BatchOptions.PollInterval"/> to <see cref="BatchOptions.MaxPollInterval"/>) and poll, until the
/// task completes; no thread or activity is held while a training run takes hours. The cancel event
/// (<see cref="StepAttempts.CancelEvent"/>) races every timer and terminates the task.
/// </summary>
/// <remarks>Orchestrator code: replayed from history, so only context APIs and pure code.</remarks>
public static class BatchStepOrchestration
{
    /// <summary>Consecutive polls (each already retried as an activity) that may fail before the attempt is given up.</summary>
    private const int MaxFailedPolls = 3;

    /// <summary>Runs the attempt; registered under <see cref="StepAttempts.BatchOrchestration"/>.</summary>
    /// <param name="context">The orchestration context.</param>
    /// <param name="attempt">The attempt, as the pipeline run orchestration passes it.</param>
    /// <param name="options">Polling and retry settings (read once at registration, the same on every replay).</param>
    public static async Task<StepExecutionResult> RunAsync(OrchestrationContext context, StepAttemptInput? attempt, BatchOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        if (attempt is null)
        {
            throw new ArgumentException($"{StepAttempts.BatchOrchestration} needs a StepAttemptInput as its input");
        }

        var monitor = new Monitor(context, attempt, options);
        return await monitor.RunAsync();
    }

    private sealed class Monitor(OrchestrationContext context, StepAttemptInput attempt, BatchOptions options)
    {
        private readonly TaskOptions _retry = TaskOptions.WithRetry(new RetryPolicy(
            Math.Max(1, options.ActivityAttempts), options.ActivityRetryInterval, 2.0, TimeSpan.FromMinutes(2)));

        private readonly DateTime _started = context.CurrentUtcDateTime;
        private BatchAttemptStatus? _status;
        private DateTimeOffset? _startTime;

        public async Task<StepExecutionResult> RunAsync()
        {
            // One wait for the whole attempt: an event raised at any point (even during submit) is seen by the next race.
            var cancel = context.WaitForExternalEvent<object>(StepAttempts.CancelEvent);
            BatchSubmitResult submit;
            try
            {
                submit = (await context.CallActivityAsync<BatchSubmitResult>(BatchStepActivities.Submit, attempt, _retry))!;
            }
            catch (TaskFailedException ex)
            {
                return Result(FailureKind.Infrastructure, $"submitting the task to Azure Batch failed: {ex.Failure.Message}", null);
            }

            if (submit.Error is not null || submit.Target is null)
            {
                return Result(submit.InfrastructureError ? FailureKind.Infrastructure : FailureKind.Failed, submit.Error ?? "the task was not submitted", null);
            }

            var target = submit.Target;
            var task = new BatchTaskRef(target.JobId, target.TaskId);
            _status = new BatchAttemptStatus
            {
                PoolId = target.PoolId,
                JobId = target.JobId,
                TaskId = target.TaskId,
                ArtifactContainer = target.ArtifactContainer,
                BlobPrefix = target.BlobPrefix,
            };
            context.SetCustomStatus(_status);

            var delay = Positive(options.PollInterval);
            var maxDelay = options.MaxPollInterval < delay ? delay : options.MaxPollInterval;
            var failedPolls = 0;
            DateTime? runningSince = null;
            int retries = 0, requeues = 0, returnsToQueue = 0;
            while (true)
            {
                using (var timerCancel = new CancellationTokenSource())
                {
                    var timer = context.CreateTimer(delay, timerCancel.Token);
                    if (await Task.WhenAny(timer, cancel) == cancel)
                    {
                        timerCancel.Cancel();
                        return await CancelAsync(task, target, "the step was cancelled and its Batch task terminated");
                    }
                }

                delay = delay * 2 > maxDelay ? maxDelay : delay * 2;
                BatchPollResult poll;
                try
                {
                    poll = (await context.CallActivityAsync<BatchPollResult>(BatchStepActivities.Poll, task, _retry))!;
                    failedPolls = 0;
                }
                catch (TaskFailedException) when (++failedPolls < MaxFailedPolls)
                {
                    // Batch unreachable for a while: keep the task and try again after the next (longer) wait.
                    continue;
                }
                catch (TaskFailedException ex)
                {
                    await TryTerminateAsync(task);
                    return Result(FailureKind.Infrastructure, $"Azure Batch could not be reached to follow the task: {ex.Failure.Message}", target);
                }

                if (poll.Missing || poll.Outcome is null)
                {
                    return Result(FailureKind.Infrastructure, $"the Batch task {target.TaskId} of job {target.JobId} no longer exists (deleted outside the pipeline?)", target);
                }

                var outcome = poll.Outcome;
                _startTime = poll.StartTime ?? _startTime;

                // A started task that is queued again, or whose retry count grows, lost its node (Spot preemption,
                // node failure): Batch runs it again from scratch, and the step has not failed.
                var wasStarted = _status.State is "preparing" or "running";
                if ((wasStarted && outcome.Status == BatchStepStatus.Pending) || outcome.RetryCount > retries)
                {
                    returnsToQueue++;
                    runningSince = null;
                }

                retries = Math.Max(retries, outcome.RetryCount);
                requeues = Math.Max(requeues, outcome.RequeueCount);
                if (outcome.Status == BatchStepStatus.Running)
                {
                    runningSince ??= context.CurrentUtcDateTime;
                }

                Publish(_status with { State = poll.State ?? _status.State, NodeId = poll.NodeId ?? _status.NodeId, Requeues = Math.Max(requeues, returnsToQueue) });
                if (outcome.IsTerminal)
                {
                    return await CompleteAsync(outcome, poll, target);
                }

                if (attempt.Timeout is { } timeout && runningSince is { } since && context.CurrentUtcDateTime - since > timeout + options.TimeoutGrace)
                {
                    await TryTerminateAsync(task);
                    return Result(FailureKind.TimedOut, $"the step exceeded its timeout of {timeout} and was terminated", target);
                }
            }
        }

        private async Task<StepExecutionResult> CompleteAsync(BatchStepOutcome outcome, BatchPollResult poll, BatchStepTarget target)
        {
            var ran = poll.StartTime is { } start && poll.EndTime is { } end ? end - start : (TimeSpan?)null;
            if (outcome.Status == BatchStepStatus.Succeeded)
            {
                BatchCollectResult collected;
                try
                {
                    collected = (await context.CallActivityAsync<BatchCollectResult>(
                        BatchStepActivities.Collect, new BatchCollectInput(target, attempt.Outputs), _retry))!;
                }
                catch (TaskFailedException ex)
                {
                    return Result(FailureKind.Infrastructure, $"reading the step's outputs from Blob storage failed: {ex.Failure.Message}", target, 0, ran);
                }

                if (collected.Problem is not null)
                {
                    return Result(FailureKind.Failed, collected.Problem, target, outcome.ExitCode, ran);
                }

                return Result(null, null, target, outcome.ExitCode ?? 0, ran) with
                {
                    Artifacts = collected.Artifacts,
                    Values = collected.Values,
                };
            }

            var batchSays = outcome.Code is null ? outcome.Message : $"{outcome.Code}: {outcome.Message}";
            return outcome.Failure switch
            {
                BatchFailureKind.TimedOut => Result(FailureKind.TimedOut, $"the step exceeded its timeout of {attempt.Timeout} and Batch ended it (maxWallClockTime)", target, outcome.ExitCode, ran),
                BatchFailureKind.Terminated => Result(FailureKind.Cancelled, "the Batch task was terminated outside the pipeline", target, outcome.ExitCode, ran),
                BatchFailureKind.Infrastructure => Result(FailureKind.Infrastructure, $"Azure Batch failed the task, not the step's fault ({batchSays})", target, outcome.ExitCode, ran),
                _ => Result(
                    FailureKind.Failed,
                    outcome.ExitCode is { } code && code != 0 ? $"the command exited with code {code} ({batchSays})" : $"Azure Batch reported a user error ({batchSays})",
                    target,
                    outcome.ExitCode,
                    ran),
            };
        }

        private async Task<StepExecutionResult> CancelAsync(BatchTaskRef task, BatchStepTarget target, string reason)
        {
            await TryTerminateAsync(task);
            return Result(FailureKind.Cancelled, reason, target);
        }

        private async Task TryTerminateAsync(BatchTaskRef task)
        {
            Publish(_status! with { TerminateRequested = true });
            try
            {
                await context.CallActivityAsync<bool>(BatchStepActivities.Terminate, task, _retry);
            }
            catch (TaskFailedException)
            {
                // The task then runs to its own end (or its maxWallClockTime) and the run's end terminates the job:
                // the attempt's result does not wait for Batch.
            }
        }

        private void Publish(BatchAttemptStatus status)
        {
            if (status != _status)
            {
                _status = status;
                context.SetCustomStatus(status);
            }
        }

        private StepExecutionResult Result(FailureKind? failure, string? reason, BatchStepTarget? target, int? exitCode = null, TimeSpan? ran = null)
        {
            var requeues = _status?.Requeues ?? 0;
            if (reason is not null && requeues > 0)
            {
                reason += string.Create(CultureInfo.InvariantCulture, $" (the task was requeued {requeues} time(s) after losing its node; not counted as a failure)");
            }

            return new StepExecutionResult
            {
                Key = attempt.Key,
                Attempt = attempt.Attempt,
                Succeeded = failure is null,
                ExitCode = exitCode,
                FailureKind = failure,
                FailureReason = reason,
                StartedAt = _startTime ?? new DateTimeOffset(_started, TimeSpan.Zero),
                Duration = ran ?? context.CurrentUtcDateTime - _started,
                LogBlobs = target?.LogBlobs ?? [],
            };
        }

        private static TimeSpan Positive(TimeSpan value) => value > TimeSpan.Zero ? value : TimeSpan.FromSeconds(1);
    }
}
