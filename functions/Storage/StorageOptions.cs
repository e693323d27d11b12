namespace Serverless.Storage;

/// <summary>
/// Where the platform's storage account is. Locally a connection string (Azurite's
/// <c>UseDevelopmentStorage=true</c>); in Azure the three service URIs with a managed identity,
/// because the account has shared-key access turned off.
/// </summary>
/// <remarks>
/// Bound from configuration section <c>Serverless:Storage</c>, i.e. app settings
/// <c>Serverless__Storage__ConnectionString</c>, <c>Serverless__Storage__BlobServiceUri</c>,
/// <c>Serverless__Storage__QueueServiceUri</c>, <c>Serverless__Storage__TableServiceUri</c> and
/// <c>Serverless__Storage__ClientId</c> (the user-assigned identity's client id).
/// </remarks>
public sealed class StorageOptions
{
    /// <summary>The configuration section these options are read from.</summary>
    public const string SectionName = "Serverless:Storage";

    /// <summary>A storage connection string. Takes precedence over the service URIs when set.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Blob service endpoint, e.g. <c>https://acct.blob.core.windows.net</c>.</summary>
    public Uri? BlobServiceUri { get; set; }

    /// <summary>Queue service endpoint, e.g. <c>https://acct.queue.core.windows.net</c>.</summary>
    public Uri? QueueServiceUri { get; set; }

    /// <summary>Table service endpoint, e.g. <c>https://acct.table.core.windows.net</c>.</summary>
    public Uri? TableServiceUri { get; set; }

    /// <summary>Client id of a user-assigned managed identity; empty for the default credential chain.</summary>
    public string? ClientId { get; set; }

    /// <summary>Options for the local emulator.</summary>
    public static StorageOptions Development() => new() { ConnectionString = "UseDevelopmentStorage=true" };
}
