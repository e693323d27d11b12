using Azure.Storage.Blobs;
using Serverless.Storage;

namespace Serverless.Pipelines.Orchestration;

/// <summary>
/// Cancel markers of running step attempts: one empty blob per attempt instance id. The attempt's cancel
/// activity writes it; the activity running the step polls for it, on whichever host it runs.
/// </summary>
public sealed class StepCancelMarkers
{
    private readonly BlobContainerClient _container;
    private int _created;

    /// <summary>Creates the store on <paramref name="containerName"/>.</summary>
    public StepCancelMarkers(StorageClients storage, string containerName)
    {
        ArgumentNullException.ThrowIfNull(storage);
        _container = storage.Blobs.GetBlobContainerClient(containerName);
    }

    /// <summary>Marks the attempt cancelled (idempotent).</summary>
    public async Task SetAsync(string attemptInstanceId, CancellationToken cancellationToken = default)
    {
        await EnsureContainerAsync(cancellationToken);
        await _container.GetBlobClient(BlobName(attemptInstanceId)).UploadAsync(BinaryData.Empty, overwrite: true, cancellationToken);
    }

    /// <summary>True once the attempt was marked cancelled.</summary>
    public async Task<bool> IsSetAsync(string attemptInstanceId, CancellationToken cancellationToken = default)
    {
        await EnsureContainerAsync(cancellationToken);
        return (await _container.GetBlobClient(BlobName(attemptInstanceId)).ExistsAsync(cancellationToken)).Value;
    }

    private static string BlobName(string attemptInstanceId) => "cancel/" + attemptInstanceId;

    private async Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _created) == 0)
        {
            await _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            Volatile.Write(ref _created, 1);
        }
    }
}
