namespace Serverless.Pipelines.Attempts;

/// <summary>A byte range of a step attempt's log, from an <see cref="IStepLogSource"/>.</summary>
/// <param name="Offset">Where the range starts in the log.</param>
/// <param name="Content">The bytes; empty when nothing new is there.</param>
/// <param name="Finished">True once the attempt has ended, so a reader that got an empty chunk can stop.</param>
public sealed record StepLogChunk(long Offset, ReadOnlyMemory<byte> Content, bool Finished)
{
    /// <summary>The offset to read from next.</summary>
    public long NextOffset => Offset + Content.Length;
}
