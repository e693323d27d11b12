namespace Serverless.Compute.AzureBatch;

/// <summary>
/// What the orchestration knows about a step attempt that runs on Batch; <see cref="BatchStepTasks.Create"/>
/// turns it into the task body.
/// </summary>
public sealed class BatchStepRequest
{
    /// <summary>The task id, from <see cref="BatchIds.ForTask"/>.</summary>
    public required string TaskId { get; init; }

    /// <summary>The step's container image.</summary>
    public required string Image { get; init; }

    /// <summary>The step's command, a bash script run in the task working directory.</summary>
    public required string Command { get; init; }

    /// <summary>Extra <c>docker create</c> options. GPU container pools expose the GPUs themselves, so <c>--gpus</c> is not needed.</summary>
    public string? ContainerRunOptions { get; init; }

    /// <summary>The private registry the image comes from, pulled with <see cref="IdentityResourceId"/>.</summary>
    public string? RegistryServer { get; init; }

    /// <summary>The user-assigned identity on the pool used for the registry and Blob; required when any URL is given.</summary>
    public string? IdentityResourceId { get; init; }

    /// <summary>The input artifacts.</summary>
    public IReadOnlyList<BatchStepInput> Inputs { get; init; } = [];

    /// <summary>The step's declared outputs; each gets <c>SERVERLESS_OUTPUT_NAME</c> = <c>outputs/NAME</c>.</summary>
    public IReadOnlyList<string> OutputNames { get; init; } = [];

    /// <summary>The container where the step's outputs and logs go.</summary>
    public string? OutputContainerUrl { get; init; }

    /// <summary>The blob prefix of this attempt's outputs (<c>…/outputs/</c>) and logs (<c>…/logs/</c>).</summary>
    public string? OutputPath { get; init; }

    /// <summary>Environment: the tracking URI, run ids, step parameters.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>The step timeout, sent as the task's <c>maxWallClockTime</c>.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Batch-level retries of a non-zero exit; 0 leaves retries to the orchestration (one task per attempt).</summary>
    public int MaxTaskRetryCount { get; init; }

    /// <summary>How long the node keeps the task directory after it ends.</summary>
    public TimeSpan RetentionTime { get; init; } = TimeSpan.FromDays(1);
}
