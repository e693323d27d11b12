namespace Serverless.Sweeps;

/// <summary>
/// Proposes parameter sets for new trials. Implementations are deterministic: the same configuration
/// (including its seed) and the same <see cref="SweepState"/> always give the same suggestions, so a
/// durable orchestration can replay them after a crash.
/// </summary>
public interface ISweepSampler
{
    /// <summary>
    /// Proposes up to <paramref name="count"/> parameter sets for the next trials. Trials still running in
    /// <paramref name="history"/>, and earlier suggestions of the same call, are treated as pending so that
    /// parallel suggestions spread out. Fewer than <paramref name="count"/> come back only when the search
    /// space is exhausted (grid).
    /// </summary>
    IReadOnlyList<ParameterSet> Suggest(SweepState history, int count);
}
