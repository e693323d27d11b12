using System.IO.Compression;
using System.Text;
using Azure.Storage.Blobs;

namespace Serverless.Orchestration.AzureStorage;

/// <summary>
/// Keeps payloads that do not fit a queue message (64 KiB) or a table property (64 KiB) in blobs,
/// gzip-compressed, under the owning instance's prefix so that purging the instance removes them.
/// </summary>
internal sealed class PayloadStore(BlobContainerClient container)
{
    /// <summary>Queue messages above this many bytes travel by reference.</summary>
    public const int QueueThresholdBytes = 45 * 1024;

    /// <summary>Table string properties above this many characters (UTF-16, 2 bytes each) are stored by reference.</summary>
    public const int TableThresholdChars = 30_000;

    public BlobContainerClient Container => container;

    public async Task<string> UploadAsync(string instanceId, string kind, string text, CancellationToken cancellationToken)
    {
        // A random part: two workers racing on one instance (split brain) never overwrite each other's blob.
        var name = $"{instanceId}/{kind}-{Guid.NewGuid():N}.json.gz";
        using var buffer = new MemoryStream();
        await using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            await gzip.WriteAsync(bytes, cancellationToken);
        }

        buffer.Position = 0;
        await container.GetBlobClient(name).UploadAsync(buffer, overwrite: true, cancellationToken);
        return name;
    }

    public async Task<string> DownloadAsync(string name, CancellationToken cancellationToken)
    {
        var response = await container.GetBlobClient(name).DownloadStreamingAsync(cancellationToken: cancellationToken);
        await using var gzip = new GZipStream(response.Value.Content, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        return await reader.ReadToEndAsync(cancellationToken);
    }

    public async Task DeleteInstanceAsync(string instanceId, CancellationToken cancellationToken)
    {
        await foreach (var blob in container.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, instanceId + "/", cancellationToken))
        {
            await container.DeleteBlobIfExistsAsync(blob.Name, cancellationToken: cancellationToken);
        }
    }
}
