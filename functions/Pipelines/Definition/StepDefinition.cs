using YamlDotNet.RepresentationModel;

namespace Serverless.Pipelines.Definition;

/// <summary>One step of a pipeline.</summary>
public sealed record StepDefinition
{
    /// <summary>The step's name (an identifier, unique in the pipeline).</summary>
    public required string Name { get; init; }

    /// <summary>The shell command (run under <c>/bin/sh -c</c> locally); may contain <c>${{ }}</c> expressions.</summary>
    public required string Command { get; init; }

    /// <summary>Extra environment variables; values may contain <c>${{ }}</c> expressions.</summary>
    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();

    /// <summary>Named inputs.</summary>
    public IReadOnlyList<StepInput> Inputs { get; init; } = [];

    /// <summary>Named outputs.</summary>
    public IReadOnlyList<StepOutput> Outputs { get; init; } = [];

    /// <summary>Explicit dependencies (in addition to those implied by references).</summary>
    public IReadOnlyList<string> Needs { get; init; } = [];

    /// <summary>A condition; the step is skipped when it is false.</summary>
    public string? When { get; init; }

    /// <summary>A parallel-for, or null.</summary>
    public ForEachSpec? ForEach { get; init; }

    /// <summary>Retry policy.</summary>
    public RetryPolicy Retries { get; init; } = RetryPolicy.None;

    /// <summary>Time limit of one attempt, or null for none.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Compute target and resources.</summary>
    public ComputeSpec Compute { get; init; } = ComputeSpec.Local;

    /// <summary>Whether a successful earlier execution with the same cache key may be reused.</summary>
    public bool Cache { get; init; } = true;

    /// <summary>The step's <c>sweep:</c> block, kept as YAML for the sweep engine to interpret.</summary>
    public YamlNode? Sweep { get; init; }

    /// <summary>
    /// Where individual fields are written, keyed <c>command</c>, <c>when</c>, <c>foreach</c>, <c>env.NAME</c>,
    /// <c>needs.NAME</c>, so validation can point at the exact place.
    /// </summary>
    public IReadOnlyDictionary<string, SourceMark> FieldMarks { get; init; } = new Dictionary<string, SourceMark>();

    /// <summary>Where the step is declared.</summary>
    public SourceMark Mark { get; init; } = SourceMark.None;

    /// <summary>The mark of field <paramref name="key"/>, or of the step when the field has none.</summary>
    public SourceMark MarkOf(string key) => FieldMarks.TryGetValue(key, out var mark) ? mark : Mark;
}
