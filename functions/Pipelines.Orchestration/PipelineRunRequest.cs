using System.Text.Json;

namespace Serverless.Pipelines.Orchestration;

/// <summary>A request to start a run, as the HTTP API and the scheduler give it.</summary>
public sealed record PipelineRunRequest
{
    /// <summary>The package version; null for the latest (locally, the source folder is published first when it changed).</summary>
    public string? Version { get; init; }

    /// <summary>Parameter values as JSON (strings are parsed as the declared type).</summary>
    public IReadOnlyDictionary<string, JsonElement>? Parameters { get; init; }

    /// <summary>The run id to use; generated when null.</summary>
    public string? RunId { get; init; }

    /// <summary>The tracking experiment; the pipeline name when null.</summary>
    public string? ExperimentName { get; init; }

    /// <summary>
    /// <c>false</c> runs every step even when an identical earlier execution could be reused (Kubeflow's
    /// <c>enable_caching=False</c>, Azure ML's <c>force_rerun</c>); null or <c>true</c> follows each step's
    /// <c>cache</c> setting. Successful steps still record their outputs for later runs.
    /// </summary>
    public bool? Cache { get; init; }
}
