namespace Serverless.Schedules.Launching;

/// <summary>What a schedule needs to know about a run it started.</summary>
public enum PipelineRunState
{
    /// <summary>No run has the id (never started, or purged).</summary>
    NotFound,

    /// <summary>The run is pending or running.</summary>
    Running,

    /// <summary>The run has finished, whatever its outcome.</summary>
    Finished,
}
