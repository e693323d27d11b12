using Serverless.Pipelines.Attempts;

namespace Serverless.Sweeps.Orchestration;

/// <summary>A trial as the suggestion activity receives it.</summary>
internal sealed record EncodedTrial(int Number, Dictionary<string, string> Parameters, TrialStatus Status, double? Value);

/// <summary>Input of <see cref="SweepEvents.SuggestActivity"/>: the sweep (re-parsed there) and its history.</summary>
internal sealed record SuggestRequest(SweepStepInput Step, List<EncodedTrial> Trials, int Count);

/// <summary>Input of <see cref="SweepEvents.StartTrialRunActivity"/>.</summary>
internal sealed record TrialRunRequest(
    string TrialInstanceId, int Number, string? ExperimentId, string? ParentRunId, string SweepStep, Dictionary<string, string> Parameters);

/// <summary>One trial whose metric history to read.</summary>
internal sealed record ProgressTarget(int Number, string RunId);

/// <summary>Input of <see cref="SweepEvents.ReadProgressActivity"/>.</summary>
internal sealed record ProgressRequest(string MetricName, List<ProgressTarget> Trials);

/// <summary>One logged point of a trial's metric.</summary>
internal sealed record ProgressPoint(long Step, double Value);

/// <summary>A trial's metric history in logging order.</summary>
internal sealed record TrialHistory(int Number, List<ProgressPoint> Points);

/// <summary>Input of <see cref="SweepEvents.FinishTrialRunActivity"/>.</summary>
internal sealed record FinishTrialRunRequest(string RunId, string Status, string SweepStatus, string? Reason, string MetricName, double? Value);

/// <summary>Input of <see cref="SweepEvents.FinishSweepRunActivity"/>.</summary>
internal sealed record FinishSweepRunRequest(
    string RunId, string? MetricName, int? BestTrial, double? BestValue, Dictionary<string, string> BestParameters, string Outcome, bool EndRun);

/// <summary>Input of <see cref="SweepEvents.StartSweepRunActivity"/>.</summary>
internal sealed record SweepRunRequest(string SweepInstanceId, string? ExperimentId, string StepKey, string RunId);
