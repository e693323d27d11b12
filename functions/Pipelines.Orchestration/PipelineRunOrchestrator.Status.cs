using Serverless.Pipelines.Definition;
using Serverless.Pipelines.Execution;
using Serverless.Pipelines.Planning;

namespace Serverless.Pipelines.Orchestration;

// What the run shows while it runs: each step's progress entry as it starts, hits the cache or finishes, and the
// custom status (RunProgress) the HTTP API and the CLI read.
internal sealed partial class PipelineRunOrchestrator
{
    private void MarkStarted(ReadyStep step, RunningStep entry)
    {
        _running[step.Key] = entry;
        _startedCompute[step.Key] = step.Definition.Compute;
        _state = _state.WithRunning(step.Key);
        _progress[step.Key] = new StepProgress
        {
            Key = step.Key.ToString(),
            Status = nameof(StepStatus.Running),
            Attempt = 1,
            StartedAt = _context.CurrentUtcDateTime,
            TrackingRunId = entry.TrackingRunId,
            Compute = ComputeName(step),
        };
    }

    private void RecordHit(ReadyStep step, StepResult hit)
    {
        var cached = hit with { Status = StepStatus.Cached, Reason = "outputs of an identical earlier execution" };
        _state = _state.WithResult(step.Key, cached);
        _progress[step.Key] = new StepProgress
        {
            Key = step.Key.ToString(),
            Status = nameof(StepStatus.Cached),
            Reason = cached.Reason,
            Compute = ComputeName(step),
            Outputs = OutputsOf(cached),
        };
    }

    private void Record(StepKey key, RunningStep entry, StepExecutionResult result)
    {
        var stepResult = result.ToStepResult();
        // Sent with the next begin (or on its own if nothing begins next): see SendUnsentFinishes.
        _unsentFinishes.Add(new StepFinishedRequest(entry.TrackingRunId, stepResult.Status, result.Succeeded ? entry.CacheKey : null, stepResult));
        _state = _state.WithResult(key, stepResult);
        _progress[key] = _progress[key] with
        {
            Status = stepResult.Status.ToString(),
            Attempt = result.Attempt,
            TrackingRunId = entry.TrackingRunId,
            StartedAt = result.StartedAt == default ? _progress[key].StartedAt : result.StartedAt.UtcDateTime,
            Duration = Math.Round(result.Duration.TotalSeconds, 3),
            Phases = StepPhaseSeconds.Of(result.Phases),
            Reason = stepResult.Reason,
            Outputs = OutputsOf(stepResult),
        };
        PublishStatus();
    }

    private void PublishStatus()
    {
        var plan = _planner.Plan(_state);
        var steps = plan.States.Select(s => _progress.TryGetValue(s.Key, out var p) && s.Status is not (StepStatus.Waiting or StepStatus.Ready)
            ? p with { Status = MapStatus(s.Status), Reason = p.Reason ?? s.Reason }
            : (p ?? new StepProgress { Key = s.Key.ToString(), Status = MapStatus(s.Status), Compute = ComputeName(s.Key) }) with
            {
                Status = MapStatus(s.Status),
                Reason = s.Reason,
            }).ToList();
        _context.SetCustomStatus(new RunProgress
        {
            Pipeline = _input.Pipeline,
            Version = _input.Version,
            TrackingRunId = _prepared.TrackingRunId,
            ExperimentId = _prepared.ExperimentId,
            CancelRequested = _state.CancelRequested,
            Steps = steps,
        });
    }

    private string ComputeName(StepKey key) => ComputeName(_definition.FindStep(key.Step)?.Compute.Target);

    private static string ComputeName(ReadyStep step) => ComputeName(step.Definition.Compute.Target);

    private static string ComputeName(ComputeTarget? target) => target == ComputeTarget.Batch ? "batch" : "local";

    private static string MapStatus(StepStatus status) => status switch
    {
        StepStatus.Waiting or StepStatus.Ready => "Pending",
        StepStatus.Blocked => nameof(StepStatus.Skipped),
        _ => status.ToString(),
    };

    private static Dictionary<string, string>? OutputsOf(StepResult result)
    {
        if (result.Artifacts.Count == 0 && result.Values.Count == 0)
        {
            return null;
        }

        var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in result.Values)
        {
            outputs[name] = value.ToString();
        }

        foreach (var (name, artifact) in result.Artifacts)
        {
            outputs[name] = artifact.Uri;
        }

        return outputs;
    }
}
