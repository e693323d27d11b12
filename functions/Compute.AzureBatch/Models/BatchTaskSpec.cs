namespace Serverless.Compute.AzureBatch.Models;

/// <summary>The body of <c>POST /jobs/{jobId}/tasks</c>.</summary>
public sealed class BatchTaskSpec
{
    /// <summary>The task id (see <see cref="BatchIds"/>).</summary>
    public required string Id { get; set; }

    /// <summary>A display name.</summary>
    public string? DisplayName { get; set; }

    /// <summary>The command; not run under a shell, hence <see cref="BashCommand.Wrap"/>.</summary>
    public required string CommandLine { get; set; }

    /// <summary>The container to run the command in.</summary>
    public BatchContainerSettings? ContainerSettings { get; set; }

    /// <summary>Inputs downloaded before the command starts.</summary>
    public IList<BatchResourceFile>? ResourceFiles { get; set; }

    /// <summary>Outputs and logs uploaded when the task ends.</summary>
    public IList<BatchOutputFile>? OutputFiles { get; set; }

    /// <summary>Environment variables.</summary>
    public IList<BatchEnvironmentSetting>? EnvironmentSettings { get; set; }

    /// <summary>Task limits.</summary>
    public BatchTaskConstraints? Constraints { get; set; }

    /// <summary>Scheduling slots the task takes on a node (default 1).</summary>
    public int? RequiredSlots { get; set; }

    /// <summary>The user the task runs as.</summary>
    public BatchUserIdentity? UserIdentity { get; set; }
}
