namespace Serverless.Schedules.Definition;

/// <summary>What a schedule does when an occurrence comes while its previous run is still running.</summary>
public enum OverlapPolicy
{
    /// <summary>Do not start the new run; the occurrence is dropped.</summary>
    Skip,

    /// <summary>Start the new run once the previous one has finished.</summary>
    Queue,

    /// <summary>Cancel the previous run and start the new one at once.</summary>
    CancelPrevious,
}
