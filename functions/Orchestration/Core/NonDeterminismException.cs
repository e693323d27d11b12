namespace Serverless.Orchestration;

/// <summary>
/// The orchestrator's code no longer produces the actions its history records (usually a deploy
/// changed the code of a running orchestration). The instance fails with this error rather than
/// continuing on a forked history.
/// </summary>
public sealed class NonDeterminismException : Exception
{
    /// <summary>Creates the exception for the history event at <paramref name="position"/>.</summary>
    public NonDeterminismException(int position, HistoryEvent historyEvent, string detail)
        : base($"Non-deterministic orchestration: history event #{position} ({historyEvent.Type} " +
               $"'{historyEvent.Name}', event id {historyEvent.EventId}) {detail}")
    {
        Position = position;
        Event = historyEvent;
    }

    /// <summary>Index of the mismatching event in the execution's history.</summary>
    public int Position { get; }

    /// <summary>The mismatching history event.</summary>
    public HistoryEvent Event { get; }
}
