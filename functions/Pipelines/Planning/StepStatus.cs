namespace Serverless.Pipelines.Planning;

/// <summary>The state of a step or iteration as the planner sees it.</summary>
public enum StepStatus
{
    /// <summary>Waiting for its dependencies.</summary>
    Waiting,

    /// <summary>Dependencies met; the plan lists it to start now.</summary>
    Ready,

    /// <summary>Started (or waiting for a retry) and not finished.</summary>
    Running,

    /// <summary>Finished successfully.</summary>
    Succeeded,

    /// <summary>Reused the outputs of an earlier identical execution.</summary>
    Cached,

    /// <summary>Failed (after its last attempt), or could not be resolved.</summary>
    Failed,

    /// <summary>Its condition was false, or a dependency was skipped.</summary>
    Skipped,

    /// <summary>Not run because a dependency failed.</summary>
    Blocked,

    /// <summary>Cancelled with the run.</summary>
    Cancelled,
}
