namespace Serverless.Compute.AzureBatch.Models;

/// <summary>A byte range read from a task file, for tailing logs while the task runs.</summary>
/// <param name="Offset">Where the range starts in the file.</param>
/// <param name="Content">The bytes read; empty when nothing new was there.</param>
public sealed record BatchTaskFileChunk(long Offset, ReadOnlyMemory<byte> Content)
{
    /// <summary>The offset to read from next time.</summary>
    public long NextOffset => Offset + Content.Length;
}
