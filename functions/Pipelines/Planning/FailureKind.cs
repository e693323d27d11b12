namespace Serverless.Pipelines.Planning;

/// <summary>Why an attempt ended unsuccessfully; decides whether it is retried.</summary>
public enum FailureKind
{
    /// <summary>The command exited with a non-zero code or broke the output contract. Retried.</summary>
    Failed,

    /// <summary>The attempt hit its timeout and was killed. Retried.</summary>
    TimedOut,

    /// <summary>The platform failed (storage, process start, Batch). Retried.</summary>
    Infrastructure,

    /// <summary>The attempt was cancelled. Never retried.</summary>
    Cancelled,
}
