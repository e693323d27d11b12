namespace Serverless.Sweeps;

/// <summary>Whether a trial should stop now, and why (shown to users next to the trial).</summary>
/// <param name="ShouldStop">True to stop the trial.</param>
/// <param name="Reason">A sentence explaining the decision, with the numbers it rests on.</param>
public sealed record StopDecision(bool ShouldStop, string Reason)
{
    /// <summary>A decision to let the trial continue.</summary>
    public static StopDecision Continue(string reason) => new(false, reason);

    /// <summary>A decision to stop the trial.</summary>
    public static StopDecision Stop(string reason) => new(true, reason);
}
