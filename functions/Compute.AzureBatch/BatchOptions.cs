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
}
