using Azure;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Serverless.Storage;
using Serverless.Tracking.Client;

namespace Serverless.Tracking;

/// <summary>
/// <see cref="IArtifactStore"/> on one Blob container: the artifact path is the blob name, so
/// <c>1/&lt;run&gt;/artifacts/model/MLmodel</c> is stored exactly there.
/// </summary>
public sealed class BlobArtifactStore : IArtifactStore
{
    private readonly BlobContainerClient _container;

    /// <summary>Creates the store over the account in <paramref name="clients"/>.</summary>
    public BlobArtifactStore(StorageClients clients, TrackingOptions options)
    {
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(options);
        _container = clients.Blobs.GetBlobContainerClient(options.ArtifactContainer);
    }

    /// <inheritdoc />
    public Task InitializeAsync(CancellationToken ct = default) => _container.CreateIfNotExistsAsync(cancellationToken: ct);

    /// <inheritdoc />
    public async Task UploadAsync(string path, Stream content, string? contentType, CancellationToken ct = default)
    {
        var blob = _container.GetBlobClient(ArtifactPath.Validate(path));

        // Blocks of 4 MiB are staged and committed at the end: memory stays at a few blocks for any
        // file size, and an interrupted upload commits nothing.
        await blob.UploadAsync(content, new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = contentType ?? "application/octet-stream" },
            TransferOptions = new StorageTransferOptions
            {
                InitialTransferSize = 4 * 1024 * 1024,
                MaximumTransferSize = 4 * 1024 * 1024,
                MaximumConcurrency = 2,
            },
        }, ct);
    }

    /// <inheritdoc />
    public async Task<ArtifactDownload?> OpenReadAsync(string path, CancellationToken ct = default)
    {
        var blob = _container.GetBlobClient(ArtifactPath.Validate(path));
        try
        {
            var response = await blob.DownloadStreamingAsync(cancellationToken: ct);
            var details = response.Value.Details;
            return new ArtifactDownload(response.Value.Content, details.ContentLength, details.ContentType);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ArtifactFile>> ListAsync(string path, CancellationToken ct = default)
    {
        var prefix = ArtifactPath.Validate(path) + "/";
        var files = new List<ArtifactFile>();
        await foreach (var item in _container.GetBlobsByHierarchyAsync(BlobTraits.None, BlobStates.None, "/", prefix, ct))
        {
            files.Add(item.IsPrefix
                ? new ArtifactFile(item.Prefix[prefix.Length..].TrimEnd('/'), true)
                : new ArtifactFile(item.Blob.Name[prefix.Length..], false, item.Blob.Properties.ContentLength));
        }

        return files;
    }

    /// <inheritdoc />
    public async Task DeleteAsync(string path, CancellationToken ct = default)
    {
        var valid = ArtifactPath.Validate(path);
        await _container.GetBlobClient(valid).DeleteIfExistsAsync(cancellationToken: ct);
        await foreach (var item in _container.GetBlobsAsync(BlobTraits.None, BlobStates.None, valid + "/", ct))
        {
            await _container.GetBlobClient(item.Name).DeleteIfExistsAsync(cancellationToken: ct);
        }
    }
}
