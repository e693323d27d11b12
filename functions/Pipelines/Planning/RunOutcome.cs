namespace Serverless.Pipelines.Planning;

/// <summary>How a finished run ended.</summary>
public enum RunOutcome
{
    /// <summary>Not finished.</summary>
    None,

    /// <summary>Every step succeeded, was cached or was skipped.</summary>
    Succeeded,

    /// <summary>At least one step failed.</summary>
    Failed,

    /// <summary>Cancelled, and no step failed.</summary>
    Cancelled,
}
