namespace Serverless.Sweeps;

/// <summary>
/// An early-stopping rule: given every trial's intermediate history and one running trial, decides
/// whether that trial continues. Pure: the same inputs give the same decision.
/// </summary>
public interface IEarlyStopper
{
    /// <summary>Decides for <paramref name="trial"/>, comparing it with <paramref name="allTrials"/> (which may include it).</summary>
    StopDecision Evaluate(IReadOnlyList<TrialProgress> allTrials, TrialProgress trial);
}
