namespace Serverless.Sweeps;

/// <summary>
/// Everything a sampler may look at: the trials so far, in suggestion order. Samplers are pure
/// functions of their configuration, seed and this state, so the orchestration can replay them.
/// </summary>
public sealed class SweepState
{
    /// <summary>Creates a state from the trials so far.</summary>
    public SweepState(IEnumerable<TrialRecord> trials)
    {
        ArgumentNullException.ThrowIfNull(trials);
        Trials = [.. trials];
    }

    /// <summary>An empty state (no trial yet).</summary>
    public static SweepState Empty { get; } = new([]);

    /// <summary>The trials so far, in suggestion order.</summary>
    public IReadOnlyList<TrialRecord> Trials { get; }

    /// <summary>A new state with <paramref name="trial"/> appended.</summary>
    public SweepState With(TrialRecord trial) => new([.. Trials, trial]);

    /// <summary>A new state with the given suggestions appended as running trials.</summary>
    public SweepState WithPending(IEnumerable<ParameterSet> suggestions)
    {
        ArgumentNullException.ThrowIfNull(suggestions);
        var list = new List<TrialRecord>(Trials);
        foreach (var s in suggestions)
        {
            list.Add(new TrialRecord(list.Count, s, TrialStatus.Running));
        }

        return new SweepState(list);
    }
}
