using Serverless.Pipelines.Definition;

namespace Serverless.Pipelines.Planning;

/// <summary>An input with its source resolved for one execution.</summary>
public sealed record ResolvedInput
{
    /// <summary>The input's name.</summary>
    public required string Name { get; init; }

    /// <summary>Artifact or value.</summary>
    public required OutputKind Kind { get; init; }

    /// <summary>
    /// For artifacts: one reference, or, when <see cref="Collected"/>, one per iteration of a parallel-for
    /// step (downloaded to <c>inputs/NAME/0</c>, <c>inputs/NAME/1</c>, …).
    /// </summary>
    public IReadOnlyList<ArtifactRef> Artifacts { get; init; } = [];

    /// <summary>True when the artifacts are collected from a parallel-for step.</summary>
    public bool Collected { get; init; }

    /// <summary>For values: the value.</summary>
    public PipelineValue? Value { get; init; }
}
