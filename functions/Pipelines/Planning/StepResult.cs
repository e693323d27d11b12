using Serverless.Pipelines.Definition;

namespace Serverless.Pipelines.Planning;

/// <summary>The recorded outcome of a step or iteration, as the orchestrator feeds it back to the planner.</summary>
public sealed record StepResult
{
    /// <summary>Succeeded, Cached, Failed, Skipped or Cancelled.</summary>
    public required StepStatus Status { get; init; }

    /// <summary>Artifact outputs by name (for Succeeded and Cached).</summary>
    public IReadOnlyDictionary<string, ArtifactRef> Artifacts { get; init; } = new Dictionary<string, ArtifactRef>();

    /// <summary>Value outputs by name (for Succeeded and Cached).</summary>
    public IReadOnlyDictionary<string, PipelineValue> Values { get; init; } = new Dictionary<string, PipelineValue>();

    /// <summary>Why it failed, was skipped or cancelled.</summary>
    public string? Reason { get; init; }

    /// <summary>A successful result with outputs.</summary>
    public static StepResult Succeeded(
        IReadOnlyDictionary<string, ArtifactRef>? artifacts = null, IReadOnlyDictionary<string, PipelineValue>? values = null) =>
        new()
        {
            Status = StepStatus.Succeeded,
            Artifacts = artifacts ?? new Dictionary<string, ArtifactRef>(),
            Values = values ?? new Dictionary<string, PipelineValue>(),
        };

    /// <summary>A failed result.</summary>
    public static StepResult Failed(string reason) => new() { Status = StepStatus.Failed, Reason = reason };
}
