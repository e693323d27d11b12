namespace Serverless.Pipelines.Definition;

/// <summary>A position in a pipeline file (1-based line and column), for error messages.</summary>
/// <param name="File">The file as the user named it, e.g. <c>pipelines/credit-scoring/pipeline.yaml</c>.</param>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column.</param>
public readonly record struct SourceMark(string File, int Line, int Column)
{
    /// <summary>The mark used for definitions built in code, which have no file.</summary>
    public static SourceMark None { get; } = new("<code>", 0, 0);

    /// <summary>
    /// True when the mark is the start of a single-line scalar's content, so a character offset in the
    /// value can be added to the column to point inside it.
    /// </summary>
    public bool Inline { get; init; }

    /// <summary>The mark <paramref name="offset"/> characters into the value, when that can be known.</summary>
    public SourceMark At(int offset) => Inline && offset > 0 ? this with { Column = Column + offset, Inline = false } : this with { Inline = false };

    /// <summary>Formats as <c>file:line:column</c>.</summary>
    public override string ToString() => $"{File}:{Line}:{Column}";
}
