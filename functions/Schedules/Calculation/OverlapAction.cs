namespace Serverless.Schedules.Calculation;

/// <summary>What to do with an occurrence given the overlap policy and the previous run.</summary>
public enum OverlapAction
{
    /// <summary>Start the run now.</summary>
    Start,

    /// <summary>Drop the occurrence.</summary>
    Skip,

    /// <summary>Hold the occurrence until the previous run has finished.</summary>
    Queue,

    /// <summary>Cancel the previous run, then start this one.</summary>
    CancelPreviousAndStart,
}
