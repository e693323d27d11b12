namespace Serverless.Compute.AzureBatch.Models;

/// <summary>The wire values of a task's <c>state</c>.</summary>
public static class BatchTaskStates
{
    /// <summary>Queued, waiting for a node (again, after a requeue).</summary>
    public const string Active = "active";

    /// <summary>Assigned to a node; the job preparation task or resource-file downloads run.</summary>
    public const string Preparing = "preparing";

    /// <summary>The command runs.</summary>
    public const string Running = "running";

    /// <summary>Finished, successfully or not; see <c>executionInfo.result</c>.</summary>
    public const string Completed = "completed";
}
