namespace Serverless.Sweeps;

/// <summary>
/// The sweep's limits applied to its history: how many trials may start now, and whether the sweep is
/// done. The caller passes the elapsed time in, so the answer stays a pure function of its inputs (the
/// orchestration takes it from its replay-safe clock).
/// </summary>
public static class SweepBudget
{
    /// <summary>
    /// Trials that may be started now: limited by free concurrency slots and by the trials left under
    /// <see cref="SweepLimits.MaxTrials"/>; 0 once <see cref="CompletionReason"/> says the sweep is done.
    /// <paramref name="defaultConcurrency"/> applies when the configuration sets no concurrency limit.
    /// </summary>
    public static int TrialsToStart(SweepConfig config, SweepState state, TimeSpan elapsed, int defaultConcurrency = 4)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(state);
        if (CompletionReason(config, state, elapsed) is not null)
        {
            return 0;
        }

        var running = state.Trials.Count(t => t.Status == TrialStatus.Running);
        var slots = (config.Limits.MaxConcurrentTrials ?? defaultConcurrency) - running;
        var left = config.Limits.MaxTrials is { } max ? max - state.Trials.Count : int.MaxValue;
        if (config.Method == SweepMethod.Grid)
        {
            left = (int)Math.Min(left, Math.Max(0, config.GridSize() - state.Trials.Count));
        }

        return Math.Max(0, Math.Min(slots, left));
    }

    /// <summary>
    /// Why the sweep should start no more trials, or null while it should go on: the metric target was
    /// reached, too many trials failed, the time budget is spent, or every allowed trial has been started.
    /// Running trials may still be finishing when this returns non-null.
    /// </summary>
    public static string? CompletionReason(SweepConfig config, SweepState state, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(state);
        if (config.Metric is { } metric)
        {
            var hit = state.Trials.FirstOrDefault(t => t.HasValue && metric.ReachesTarget(t.Value!.Value));
            if (hit is not null)
            {
                return $"trial {hit.Number} reached the target {metric.Name} = {metric.Target}";
            }
        }

        var failed = state.Trials.Count(t => t.Status == TrialStatus.Failed);
        if (config.Limits.MaxFailedTrials is { } maxFailed && failed >= maxFailed)
        {
            return $"{failed} trials failed (limit {maxFailed})";
        }

        if (config.Limits.Timeout is { } timeout && elapsed >= timeout)
        {
            return $"the time budget of {timeout} is spent";
        }

        if (config.Limits.MaxTrials is { } maxTrials && state.Trials.Count >= maxTrials)
        {
            return $"all {maxTrials} trials were started";
        }

        if (config.Method == SweepMethod.Grid && state.Trials.Count >= config.GridSize())
        {
            return $"all {config.GridSize()} grid points were started";
        }

        return null;
    }
}
