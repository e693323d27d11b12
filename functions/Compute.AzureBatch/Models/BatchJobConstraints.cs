namespace Serverless.Compute.AzureBatch.Models;

/// <summary>Limits on a whole job.</summary>
public sealed class BatchJobConstraints
{
    /// <summary>How long the job may run from its creation; absent for no limit.</summary>
    public TimeSpan? MaxWallClockTime { get; set; }

    /// <summary>Default retry count for the job's tasks; <c>-1</c> is unlimited.</summary>
    public int? MaxTaskRetryCount { get; set; }
}
