using System.Collections.Concurrent;
using Serverless.Orchestration;
using Serverless.Pipelines.Attempts;
using Serverless.Pipelines.Definition;
using Serverless.Pipelines.Execution;
using Serverless.Pipelines.Planning;
using Serverless.Tracking;
using Serverless.Tracking.Client;

namespace Serverless.Sweeps.Orchestration.Tests;

/// <summary>
/// A test-registered <c>Pipelines.Step.Local</c>: runs the toy objective named by the resolved command one step
/// at a time (one activity per step, which logs the loss to tracking like a training script would) and stops
/// with a Cancelled result on the cancel event, as the attempt contract requires.
/// </summary>
internal static class ToyAttempt
{
    public const string StepActivity = "Toy.Step";

    public static void Register(OrchestrationRegistry registry, TrackingService tracking, ConcurrentBag<string> calls, TimeSpan stepDelay)
    {
        registry.AddOrchestrator<StepAttemptInput, StepExecutionResult>(StepAttempts.LocalOrchestration, async (ctx, attempt) =>
        {
            var command = attempt!.Command;
            var x = ToyPipeline.Arg(command, "x");
            var y = (long)ToyPipeline.Arg(command, "y");
            var steps = (int)ToyPipeline.Arg(command, "steps");
            var scale = ToyPipeline.Arg(command, "scale");
            var started = ctx.CurrentUtcDateTime;
            if (x > ToyPipeline.Arg(command, "fail-above"))
            {
                return Result(attempt, started, ctx.CurrentUtcDateTime, false, FailureKind.Failed, $"x = {x} is above the failure threshold");
            }

            var cancel = ctx.WaitForExternalEvent<object>(StepAttempts.CancelEvent);
            var loss = 0.0;
            for (var s = 0; s < steps; s++)
            {
                var step = ctx.CallActivityAsync<double>(StepActivity, new ToyStep(ctx.InstanceId, attempt.Tracking?.RunId, s, x, y, scale));
                if (await Task.WhenAny(step, cancel) == cancel)
                {
                    return Result(attempt, started, ctx.CurrentUtcDateTime, false, FailureKind.Cancelled, "cancelled");
                }

                loss = step.Result;
            }

            return Result(attempt, started, ctx.CurrentUtcDateTime, true, null, null) with
            {
                Values = new Dictionary<string, PipelineValue> { ["loss"] = PipelineValue.FromNumber(loss) },
            };
        });
        registry.AddActivity<ToyStep, double>(StepActivity, async (_, step) =>
        {
            calls.Add($"{step!.Instance}/{step.Step}");
            await Task.Delay(stepDelay);
            var loss = ToyPipeline.Loss(step.X, step.Y, step.Scale, step.Step);
            if (step.RunId is not null)
            {
                await tracking.LogMetricAsync(step.RunId, new Metric("loss", loss, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), step.Step));
            }

            return loss;
        });
    }

    private static StepExecutionResult Result(StepAttemptInput attempt, DateTime started, DateTime now, bool ok, FailureKind? kind, string? reason) => new()
    {
        Key = attempt.Key,
        Attempt = attempt.Attempt,
        Succeeded = ok,
        FailureKind = kind,
        FailureReason = reason,
        StartedAt = started,
        Duration = now - started,
    };
}
