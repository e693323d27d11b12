namespace Serverless.Compute.AzureBatch;

/// <summary>
/// Where the platform's Batch account is and which pools steps run on, bound from configuration
/// section <c>Serverless:Batch</c> (app settings <c>Serverless__Batch__AccountUrl</c>,
/// <c>Serverless__Batch__GpuPoolId</c>, <c>Serverless__Batch__CpuPoolId</c>, <c>Serverless__Batch__ClientId</c>).
/// </summary>
/// <remarks>
/// The Bicep deployment (<c>infra/</c>) writes exactly these settings. The identity resource id is
/// the user-assigned identity attached to the pools; Batch uses it to pull images and move blobs.
/// </remarks>
public sealed class BatchOptions
{
    /// <summary>The configuration section these options are read from.</summary>
    public const string SectionName = "Serverless:Batch";

    /// <summary>The account endpoint, e.g. <c>https://acct.westeurope.batch.azure.com</c>.</summary>
    public Uri? AccountUrl { get; set; }

    /// <summary>Pool for steps that ask for a GPU.</summary>
    public string? GpuPoolId { get; set; }

    /// <summary>Pool for CPU-only batch steps.</summary>
    public string? CpuPoolId { get; set; }

    /// <summary>Client id of the user-assigned identity the app authenticates with; empty for the default credential chain.</summary>
    public string? ClientId { get; set; }

    /// <summary>ARM resource id of the user-assigned identity attached to the pools (for <c>identityReference</c>).</summary>
    public string? PoolIdentityResourceId { get; set; }

    /// <summary>How many times a throttled or transiently failed request is retried.</summary>
    public int MaxRetries { get; set; } = 6;

    /// <summary>
    /// The private registry (e.g. <c>myacr.azurecr.io</c>) images are pulled from with the pool identity; an
    /// image whose name starts with this host gets a <c>registry</c> block, others are pulled anonymously.
    /// </summary>
    public string? RegistryServer { get; set; }

    /// <summary>Options passed to <c>docker create</c> for every step task, e.g. <c>--shm-size=8g</c> for PyTorch data loaders.</summary>
    public string? ContainerRunOptions { get; set; }

    /// <summary>The blob container (on the platform's storage account) holding step inputs, outputs and logs.</summary>
    public string ArtifactContainer { get; set; } = "pipeline-artifacts";

    /// <summary>The container holding published pipeline packages, downloaded to <c>package/</c> in each task.</summary>
    public string PackageContainer { get; set; } = "pipeline-packages";

    /// <summary>
    /// The blob endpoint Batch nodes use for inputs and outputs, e.g. <c>https://st.blob.core.windows.net</c>;
    /// the platform's own blob endpoint when not set. Batch needs https, so set it when storage is an emulator.
    /// </summary>
    public Uri? BlobEndpoint { get; set; }

    /// <summary>The first wait between polls of a running task.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest wait between polls; the wait doubles from <see cref="PollInterval"/> up to this.</summary>
    public TimeSpan MaxPollInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long past the step's timeout a task may still run before the orchestration terminates it itself
    /// (Batch enforces <c>maxWallClockTime</c>; this covers a task whose end Batch never reports).
    /// </summary>
    public TimeSpan TimeoutGrace { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How many times an activity (submit, poll, collect, terminate) is attempted when it fails transiently.</summary>
    public int ActivityAttempts { get; set; } = 5;

    /// <summary>The wait before the first activity retry; it doubles up to two minutes.</summary>
    public TimeSpan ActivityRetryInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long the node keeps a task's directory (and so its live log files) after the task ends.</summary>
    public TimeSpan TaskRetention { get; set; } = TimeSpan.FromDays(1);
}
