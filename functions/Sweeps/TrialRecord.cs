namespace Serverless.Sweeps;

/// <summary>One trial of a sweep as the samplers and the results see it.</summary>
/// <param name="Number">The trial's number, 0-based, in the order it was suggested.</param>
/// <param name="Parameters">The parameter values the trial ran with.</param>
/// <param name="Status">Whether it is running, completed, stopped early or failed.</param>
/// <param name="Value">The objective value (final, or last reported for stopped trials); null while running or when failed.</param>
public sealed record TrialRecord(int Number, ParameterSet Parameters, TrialStatus Status, double? Value = null)
{
    /// <summary>Whether the trial carries a usable objective value.</summary>
    public bool HasValue => Status is TrialStatus.Completed or TrialStatus.Stopped && Value is { } v && double.IsFinite(v);
}
