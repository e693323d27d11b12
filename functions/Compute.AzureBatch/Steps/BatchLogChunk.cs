namespace Serverless.Compute.AzureBatch.Steps;

/// <summary>A byte range of a Batch step's stdout or stderr.</summary>
/// <param name="Offset">Where the range starts in the log.</param>
/// <param name="Content">The bytes (UTF-8 text as the step wrote it); empty when nothing new is there.</param>
/// <param name="Source">Where it was read from.</param>
/// <param name="Finished">True when the task has ended, so a reader that reached the end can stop polling.</param>
public sealed record BatchLogChunk(long Offset, ReadOnlyMemory<byte> Content, BatchLogSource Source, bool Finished)
{
    /// <summary>The offset to read from next time.</summary>
    public long NextOffset => Offset + Content.Length;
}
