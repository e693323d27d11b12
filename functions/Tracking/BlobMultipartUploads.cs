using System.Buffers;
using System.Globalization;
using System.Text;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Serverless.Storage;

namespace Serverless.Tracking;

/// <summary>
/// <see cref="IMultipartArtifactStore"/> on block blobs: every part is staged as uncommitted blocks
/// of at most 4 MiB, read from the request one buffer at a time, and completing commits the block
/// list. Nothing is visible until then, and no part is ever held in memory whole.
/// </summary>
/// <remarks>
/// A block id is <c>&lt;upload&gt;&lt;part:D5&gt;&lt;attempt&gt;&lt;block:D5&gt;</c> (all ids of a blob must
/// have the same length). The attempt is a fresh tag per part upload, returned as the part's ETag, so a
/// retried part never mixes its blocks with those of an earlier, interrupted attempt.
/// </remarks>
public sealed class BlobMultipartUploads : IMultipartArtifactStore
{
    /// <summary>Parts per upload: Blob storage allows 50,000 blocks per blob.</summary>
    public const int MaxParts = 10_000;

    private const int BlockBytes = 4 * 1024 * 1024;
    private const int UploadIdLength = 32;
    private const int AttemptLength = 8;
    private readonly BlobContainerClient _container;

    /// <summary>Creates the uploads over the artifact container of <paramref name="options"/>.</summary>
    public BlobMultipartUploads(StorageClients clients, TrackingOptions options)
    {
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(options);
        _container = clients.Blobs.GetBlobContainerClient(options.ArtifactContainer);
    }

    /// <inheritdoc />
    public Task<string> CreateUploadAsync(string path, CancellationToken ct = default)
    {
        ArtifactPath.Validate(path);
        return Task.FromResult(Guid.NewGuid().ToString("N"));
    }

    /// <inheritdoc />
    public async Task<string> UploadPartAsync(string path, string uploadId, int partNumber, Stream content, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        CheckUploadId(uploadId);
        CheckPartNumber(partNumber);
        var blob = _container.GetBlockBlobClient(ArtifactPath.Validate(path));
        var attempt = Guid.NewGuid().ToString("N")[..AttemptLength];
        var buffer = ArrayPool<byte>.Shared.Rent(BlockBytes);
        try
        {
            for (var block = 0; ; block++)
            {
                // Blob storage refuses empty blocks: an empty part stages nothing and cannot be completed.
                var filled = await FillAsync(content, buffer, ct);
                if (filled > 0)
                {
                    using var chunk = new MemoryStream(buffer, 0, filled, writable: false);
                    await blob.StageBlockAsync(BlockId(uploadId, partNumber, attempt, block), chunk, cancellationToken: ct);
                }

                if (filled < BlockBytes)
                {
                    return attempt;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <inheritdoc />
    public async Task CompleteUploadAsync(string path, string uploadId, IReadOnlyList<(int PartNumber, string ETag)> parts, string? contentType, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(parts);
        CheckUploadId(uploadId);
        if (parts.Count == 0)
        {
            throw TrackingException.Invalid("parts must list at least one uploaded part.");
        }

        var blob = _container.GetBlockBlobClient(ArtifactPath.Validate(path));
        var staged = await StagedBlocksAsync(blob, uploadId, ct);
        if (staged.Count == 0)
        {
            throw TrackingException.NotFound($"Multipart upload '{uploadId}' of '{path}' does not exist (never started, completed or aborted).");
        }

        var blocks = new List<string>();
        foreach (var (partNumber, etag) in parts.OrderBy(p => p.PartNumber))
        {
            CheckPartNumber(partNumber);
            var prefix = uploadId + partNumber.ToString("D5", CultureInfo.InvariantCulture) + etag.Trim('"');
            var ofPart = staged.Where(id => id.StartsWith(prefix, StringComparison.Ordinal) && id.Length == prefix.Length + 5).Order(StringComparer.Ordinal).ToList();
            if (ofPart.Count == 0)
            {
                throw TrackingException.Invalid($"Part {partNumber} (etag '{etag}') of multipart upload '{uploadId}' was not uploaded.");
            }

            blocks.AddRange(ofPart.Select(Encode));
        }

        await blob.CommitBlockListAsync(blocks, new CommitBlockListOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = contentType ?? "application/octet-stream" },
        }, ct);
    }

    /// <inheritdoc />
    public async Task AbortUploadAsync(string path, string uploadId, CancellationToken ct = default)
    {
        CheckUploadId(uploadId);
        var blob = _container.GetBlockBlobClient(ArtifactPath.Validate(path));
        if ((await StagedBlocksAsync(blob, uploadId, ct)).Count == 0)
        {
            throw TrackingException.NotFound($"Multipart upload '{uploadId}' of '{path}' does not exist (never started, completed or aborted).");
        }

        if (await blob.ExistsAsync(ct))
        {
            // Uncommitted blocks beside an existing file cannot be dropped alone without touching the
            // file; Blob storage discards them after a week.
            return;
        }

        // Committing an empty list and deleting the result discards every uncommitted block at once.
        await blob.CommitBlockListAsync([], cancellationToken: ct);
        await blob.DeleteIfExistsAsync(cancellationToken: ct);
    }

    private static async Task<List<string>> StagedBlocksAsync(BlockBlobClient blob, string uploadId, CancellationToken ct)
    {
        try
        {
            var list = await blob.GetBlockListAsync(BlockListTypes.Uncommitted, cancellationToken: ct);
            return list.Value.UncommittedBlocks.Select(b => Decode(b.Name)).Where(id => id is not null && id.StartsWith(uploadId, StringComparison.Ordinal)).Select(id => id!).ToList();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return [];
        }
    }

    private static async Task<int> FillAsync(Stream content, byte[] buffer, CancellationToken ct)
    {
        var filled = 0;
        while (filled < BlockBytes)
        {
            var read = await content.ReadAsync(buffer.AsMemory(filled, BlockBytes - filled), ct);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        return filled;
    }

    private static string BlockId(string uploadId, int partNumber, string attempt, int block) =>
        Encode(string.Create(CultureInfo.InvariantCulture, $"{uploadId}{partNumber:D5}{attempt}{block:D5}"));

    private static string Encode(string id) => Convert.ToBase64String(Encoding.ASCII.GetBytes(id));

    private static string? Decode(string name)
    {
        try
        {
            return Encoding.ASCII.GetString(Convert.FromBase64String(name));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static void CheckUploadId(string uploadId)
    {
        if (uploadId is not { Length: UploadIdLength } || !uploadId.All(char.IsAsciiHexDigitLower))
        {
            throw TrackingException.Invalid($"Invalid upload_id '{uploadId}': pass back the upload_id that mpu/create returned.");
        }
    }

    private static void CheckPartNumber(int partNumber)
    {
        if (partNumber is < 1 or > MaxParts)
        {
            throw TrackingException.Invalid($"Invalid part_number {partNumber}: parts are numbered 1 to {MaxParts}.");
        }
    }
}
