namespace Serverless.Compute.AzureBatch;

/// <summary>Whose fault a failed step was, which decides whether retrying it can help.</summary>
public enum BatchFailureKind
{
    /// <summary>Not failed.</summary>
    None,

    /// <summary>The step's own fault: non-zero exit, missing input, bad image (<c>usererror</c>).</summary>
    UserError,

    /// <summary>Batch's or the node's fault (<c>servererror</c>): retry without blaming the step.</summary>
    Infrastructure,

    /// <summary>Ended by Batch when the task's <c>maxWallClockTime</c> ran out.</summary>
    TimedOut,

    /// <summary>Ended by a terminate request (cancellation).</summary>
    Terminated,
}
