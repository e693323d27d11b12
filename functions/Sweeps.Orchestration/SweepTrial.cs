using Serverless.Pipelines.Execution;

namespace Serverless.Sweeps.Orchestration;

/// <summary>A trial as the sweep orchestrator tracks it in memory (rebuilt on every replay).</summary>
internal sealed class SweepTrial
{
    public required int Number { get; init; }

    public required ParameterSet Parameters { get; init; }

    public required Dictionary<string, string> Encoded { get; init; }

    public required string InstanceId { get; init; }

    public SweepTrialStatus Status { get; set; } = SweepTrialStatus.Running;

    public double? Value { get; set; }

    public List<MetricPoint> History { get; set; } = [];

    public string? RunId { get; set; }

    public Task<StepExecutionResult?>? Attempt { get; set; }

    public StepExecutionResult? Result { get; set; }

    /// <summary>Set when the stopping rule asked the trial to stop.</summary>
    public string? StopReason { get; set; }

    /// <summary>Set when the sweep itself cancelled the trial.</summary>
    public string? CancelReason { get; set; }

    public string? Reason { get; set; }

    public bool IsStopping => StopReason is not null || CancelReason is not null;

    /// <summary>The trial as the samplers and stopping rules see it; cancelled trials count as failed.</summary>
    public TrialRecord ToRecord() => Status switch
    {
        SweepTrialStatus.Running => new TrialRecord(Number, Parameters, TrialStatus.Running),
        SweepTrialStatus.Succeeded => new TrialRecord(Number, Parameters, TrialStatus.Completed, Value),
        SweepTrialStatus.Stopped => new TrialRecord(Number, Parameters, TrialStatus.Stopped, Value),
        _ => new TrialRecord(Number, Parameters, TrialStatus.Failed),
    };

    public TrialProgress ToProgress() => new(Number, ToRecord().Status, History);

    public SweepTrialView ToView() => new()
    {
        Number = Number,
        Params = new Dictionary<string, object?>(Parameters, StringComparer.Ordinal),
        Status = Status,
        Value = Value,
        Step = RunId is null ? null : History.Count,
        TrackingRunId = RunId,
        Reason = Reason,
    };
}
