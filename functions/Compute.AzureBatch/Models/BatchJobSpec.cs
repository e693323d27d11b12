namespace Serverless.Compute.AzureBatch.Models;

/// <summary>The body of <c>POST /jobs</c>.</summary>
public sealed class BatchJobSpec
{
    /// <summary>The job id (see <see cref="BatchIds"/>).</summary>
    public required string Id { get; set; }

    /// <summary>A display name; free text up to 1024 characters.</summary>
    public string? DisplayName { get; set; }

    /// <summary>The pool the tasks run on.</summary>
    public required BatchPoolInformation PoolInfo { get; set; }

    /// <summary>Leave as <see cref="BatchOnAllTasksComplete.NoAction"/> at creation; patch it after adding tasks.</summary>
    public BatchOnAllTasksComplete OnAllTasksComplete { get; set; } = BatchOnAllTasksComplete.NoAction;

    /// <summary>Job limits.</summary>
    public BatchJobConstraints? Constraints { get; set; }

    /// <summary>Scheduling priority, -1000 to 1000.</summary>
    public int? Priority { get; set; }
}
