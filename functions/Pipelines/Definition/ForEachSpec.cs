namespace Serverless.Pipelines.Definition;

/// <summary>A parallel-for: the step runs once per item, the current one available as <c>${{ item }}</c>.</summary>
public sealed record ForEachSpec
{
    /// <summary>A literal list, or null when <see cref="ItemsExpression"/> is used.</summary>
    public IReadOnlyList<PipelineValue>? Items { get; init; }

    /// <summary>An expression yielding a list (e.g. <c>params.seeds</c>), or null when <see cref="Items"/> is used.</summary>
    public string? ItemsExpression { get; init; }

    /// <summary>Most iterations running at once; 0 means no limit.</summary>
    public int Concurrency { get; init; }

    /// <summary>Where the block is declared.</summary>
    public SourceMark Mark { get; init; } = SourceMark.None;
}
