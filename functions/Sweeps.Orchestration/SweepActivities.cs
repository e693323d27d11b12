using System.Globalization;
using Serverless.Pipelines.Attempts;
using Serverless.Tracking;
using Serverless.Tracking.Client;

namespace Serverless.Sweeps.Orchestration;

/// <summary>
/// The sweep's side effects: suggestions (kept out of the orchestrator so a slow sampler is not replayed and a
/// sampler change cannot break a running sweep's replay) and the tracking runs. Activities run at least
/// once, so run creation looks for a run tagged with the same trial id before creating one.
/// </summary>
internal sealed class SweepActivities(TrackingService? tracking)
{
    /// <summary>Tag naming the orchestration instance a tracking run belongs to, for idempotent creation.</summary>
    public const string InstanceTag = "serverless.sweep.instance";

    public static List<Dictionary<string, string>> Suggest(SuggestRequest request)
    {
        var (definition, errors) = SweepStepDefinition.Load(request.Step);
        if (definition is null)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, errors));
        }

        var state = new SweepState(request.Trials.Select(t =>
            new TrialRecord(t.Number, ParameterCodec.Decode(t.Parameters), t.Status, t.Value)));
        return SweepSamplers.Create(definition.Config).Suggest(state, request.Count).Select(ParameterCodec.Encode).ToList();
    }

    public async Task<string?> StartSweepRunAsync(SweepRunRequest request)
    {
        if (tracking is null)
        {
            return null;
        }

        var tags = new List<Tag>
        {
            new(InstanceTag, request.SweepInstanceId),
            new("mlflow.runName", $"sweep {request.StepKey}"),
            new("serverless.sweep.step", request.StepKey),
        };
        if (!string.IsNullOrEmpty(request.RunId))
        {
            tags.Add(new Tag("mlflow.parentRunId", request.RunId));
        }

        return await FindOrCreateAsync(request.ExperimentId, request.SweepInstanceId, $"sweep {request.StepKey}", tags, []);
    }

    public async Task<string?> StartTrialRunAsync(TrialRunRequest request)
    {
        if (tracking is null)
        {
            return null;
        }

        var name = $"trial-{request.Number.ToString(CultureInfo.InvariantCulture)}";
        var tags = new List<Tag>
        {
            new(InstanceTag, request.TrialInstanceId),
            new("serverless.sweep.step", request.SweepStep),
            new("serverless.sweep.trial", request.Number.ToString(CultureInfo.InvariantCulture)),
        };
        if (request.ParentRunId is { Length: > 0 } parent)
        {
            tags.Add(new Tag("mlflow.parentRunId", parent));
        }

        var parameters = ParameterCodec.Decode(request.Parameters)
            .Select(kv => new Param(kv.Key, ParameterSet.FormatValue(kv.Value)))
            .ToList();
        return await FindOrCreateAsync(request.ExperimentId, request.TrialInstanceId, name, tags, parameters);
    }

    public async Task<List<TrialHistory>> ReadProgressAsync(ProgressRequest request)
    {
        var histories = new List<TrialHistory>();
        if (tracking is null)
        {
            return histories;
        }

        foreach (var trial in request.Trials)
        {
            var page = await tracking.GetMetricHistoryAsync(trial.RunId, request.MetricName, null, null);
            histories.Add(new TrialHistory(trial.Number, page.Items
                .OrderBy(m => m.Step).ThenBy(m => m.Timestamp)
                .Select(m => new ProgressPoint(m.Step, m.Value))
                .ToList()));
        }

        return histories;
    }

    public async Task<bool> FinishTrialRunAsync(FinishTrialRunRequest request)
    {
        if (tracking is null)
        {
            return false;
        }

        var tags = new List<Tag> { new("serverless.sweep.status", request.SweepStatus) };
        if (request.Reason is { Length: > 0 } reason)
        {
            tags.Add(new Tag("serverless.sweep.reason", reason.Length > 4000 ? reason[..4000] : reason));
        }

        await tracking.LogBatchAsync(request.RunId, [], [], tags);
        await tracking.UpdateRunAsync(request.RunId, request.Status, NowMilliseconds(), null);
        return true;
    }

    public async Task<bool> FinishSweepRunAsync(FinishSweepRunRequest request)
    {
        if (tracking is null)
        {
            return false;
        }

        var run = await tracking.GetRunAsync(request.RunId);
        var logged = run.Data?.Params?.Select(p => p.Key).ToHashSet(StringComparer.Ordinal) ?? [];

        // Params are immutable in MLflow: a re-run activity must not log them a second time.
        var parameters = ParameterCodec.Decode(request.BestParameters)
            .Select(kv => new Param("best." + kv.Key, ParameterSet.FormatValue(kv.Value)))
            .Where(p => !logged.Contains(p.Key))
            .ToList();
        var tags = new List<Tag> { new("serverless.sweep.outcome", request.Outcome) };
        if (request.BestTrial is { } best)
        {
            tags.Add(new Tag("serverless.sweep.best_trial", best.ToString(CultureInfo.InvariantCulture)));
        }

        var metrics = request.BestValue is { } value && request.MetricName is { } metric
            ? new List<Metric> { new("best." + metric, value, NowMilliseconds()) }
            : [];
        await tracking.LogBatchAsync(request.RunId, metrics, parameters, tags);
        if (request.EndRun)
        {
            await tracking.UpdateRunAsync(request.RunId, request.Outcome == "Succeeded" ? "FINISHED" : "FAILED", NowMilliseconds(), null);
        }

        return true;
    }

    private async Task<string> FindOrCreateAsync(string? experimentId, string instanceId, string name, List<Tag> tags, List<Param> parameters)
    {
        var experiment = string.IsNullOrEmpty(experimentId) ? "0" : experimentId;
        var found = await tracking!.SearchRunsAsync([experiment], $"tags.`{InstanceTag}` = '{instanceId.Replace("'", "\\'", StringComparison.Ordinal)}'", 1, null, null, null);
        if (found.Items.Count > 0)
        {
            return found.Items[0].Info.RunId;
        }

        var run = await tracking.CreateRunAsync(experiment, name, "serverless-sweeps", null, tags);
        if (parameters.Count > 0)
        {
            await tracking.LogBatchAsync(run.Info.RunId, [], parameters, []);
        }

        return run.Info.RunId;
    }

    private static long NowMilliseconds() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}
