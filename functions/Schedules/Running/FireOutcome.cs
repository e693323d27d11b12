using Serverless.Schedules.Calculation;

namespace Serverless.Schedules.Running;

/// <summary>What the fire activity did.</summary>
/// <param name="Action">The overlap decision; <see cref="OverlapAction.Start"/> and <see cref="OverlapAction.CancelPreviousAndStart"/> mean the run exists now.</param>
/// <param name="Created">True when this call created the run (false when a run with its id already existed).</param>
public sealed record FireOutcome(OverlapAction Action, bool Created)
{
    /// <summary>Whether the occurrence's run exists after the call.</summary>
    public bool Fired => Action is OverlapAction.Start or OverlapAction.CancelPreviousAndStart;
}
