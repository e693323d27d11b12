namespace Serverless.Pipelines.Orchestration;

/// <summary>A run that was just started.</summary>
/// <param name="Id">The run id.</param>
/// <param name="Pipeline">The pipeline.</param>
/// <param name="Version">The package version it runs.</param>
public sealed record PipelineRunStarted(string Id, string Pipeline, string Version);
