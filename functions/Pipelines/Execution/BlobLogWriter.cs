using System.Buffers;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace Serverless.Pipelines.Execution;

/// <summary>
/// Buffers a stream's bytes and appends them to an append blob on a timer, so a step's log can be read
/// while the step runs without one storage call per line.
/// </summary>
internal sealed class BlobLogWriter
{
    // An append block holds at most 4 MiB.
    private const int MaxBlock = 4 * 1024 * 1024;
    private readonly AppendBlobClient _blob;
    private readonly object _gate = new();
    private ArrayBufferWriter<byte> _buffer = new();

    public BlobLogWriter(AppendBlobClient blob)
    {
        _blob = blob;
    }

    public string BlobName => _blob.Name;

    public Task CreateAsync(CancellationToken cancellationToken) =>
        _blob.CreateIfNotExistsAsync(new AppendBlobCreateOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "text/plain; charset=utf-8" } }, cancellationToken);

    /// <summary>Copies <paramref name="source"/> into the buffer until it ends.</summary>
    public async Task PumpAsync(Stream source, CancellationToken cancellationToken)
    {
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await source.ReadAsync(chunk, cancellationToken)) > 0)
        {
            lock (_gate)
            {
                _buffer.Write(chunk.AsSpan(0, read));
            }
        }
    }

    /// <summary>Appends whatever is buffered.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        byte[] pending;
        lock (_gate)
        {
            if (_buffer.WrittenCount == 0)
            {
                return;
            }

            pending = _buffer.WrittenSpan.ToArray();
            _buffer = new ArrayBufferWriter<byte>();
        }

        for (var offset = 0; offset < pending.Length; offset += MaxBlock)
        {
            var length = Math.Min(MaxBlock, pending.Length - offset);
            using var block = new MemoryStream(pending, offset, length, writable: false);
            await _blob.AppendBlockAsync(block, cancellationToken: cancellationToken);
        }
    }
}
