namespace Serverless.Sweeps;

/// <summary>
/// Median stopping as Katib and Azure ML define it: once a trial has logged more than
/// <see cref="DelayEvaluation"/> values, every <see cref="EvaluationInterval"/> values it is compared
/// with the running averages of at least <see cref="MinTrials"/> completed trials at the same step, and
/// stopped when its best value so far is worse than their median.
/// </summary>
public sealed record MedianStoppingConfig
{
    /// <summary>Evaluate every this many logged values (Azure ML <c>evaluation_interval</c>, default 1).</summary>
    public int EvaluationInterval { get; init; } = 1;

    /// <summary>Logged values before the first evaluation (Azure ML <c>delay_evaluation</c>; Katib <c>start_step</c>).</summary>
    public int DelayEvaluation { get; init; }

    /// <summary>Completed trials needed before any trial is stopped (Katib <c>min_trials_required</c>, default 3).</summary>
    public int MinTrials { get; init; } = 3;
}
