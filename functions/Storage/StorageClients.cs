using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace Serverless.Storage;

/// <summary>
/// Creates the SDK service clients for the configured account. One instance per process: the SDK
/// clients are thread-safe and share their HTTP connections.
/// </summary>
public sealed class StorageClients
{
    private readonly Lazy<BlobServiceClient> _blobs;
    private readonly Lazy<QueueServiceClient> _queues;
    private readonly Lazy<TableServiceClient> _tables;

    /// <summary>Creates the factory for <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentException">Neither a connection string nor all three service URIs are set.</exception>
    public StorageClients(StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            var cs = options.ConnectionString;
            // Queue messages are our own JSON; base64 encoding would only cost 33 % of the 64 KiB limit.
            var queueOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None };
            _blobs = new(() => new BlobServiceClient(cs));
            _queues = new(() => new QueueServiceClient(cs, queueOptions));
            _tables = new(() => new TableServiceClient(cs));
        }
        else if (options.BlobServiceUri is { } blobUri && options.QueueServiceUri is { } queueUri && options.TableServiceUri is { } tableUri)
        {
            TokenCredential credential = string.IsNullOrWhiteSpace(options.ClientId)
                ? new DefaultAzureCredential()
                : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(options.ClientId));
            var queueOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None };
            _blobs = new(() => new BlobServiceClient(blobUri, credential));
            _queues = new(() => new QueueServiceClient(queueUri, credential, queueOptions));
            _tables = new(() => new TableServiceClient(tableUri, credential));
        }
        else
        {
            throw new ArgumentException(
                "Storage is not configured: set Serverless:Storage:ConnectionString, or all of " +
                "Serverless:Storage:BlobServiceUri, QueueServiceUri and TableServiceUri.", nameof(options));
        }
    }

    /// <summary>The blob service client.</summary>
    public BlobServiceClient Blobs => _blobs.Value;

    /// <summary>The queue service client (messages are sent as raw UTF-8 text, not base64).</summary>
    public QueueServiceClient Queues => _queues.Value;

    /// <summary>The table service client.</summary>
    public TableServiceClient Tables => _tables.Value;
}
