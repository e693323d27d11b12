using Serverless.Pipelines.Definition;

namespace Serverless.Schedules.Launching;

/// <summary>A pipeline run a schedule asks for.</summary>
/// <param name="Pipeline">The pipeline's name.</param>
/// <param name="Version">The published version to run; null runs the latest.</param>
/// <param name="Parameters">Parameter values of the run (the schedule's; the pipeline's defaults fill the rest).</param>
/// <param name="RunId">The run's id, derived from the schedule and the occurrence so a repeated start finds it.</param>
/// <param name="ScheduleId">The schedule that starts the run.</param>
/// <param name="Occurrence">The occurrence (UTC) the run is for; for a manual trigger, the trigger time.</param>
public sealed record PipelineRunRequest(
    string Pipeline,
    string? Version,
    IReadOnlyDictionary<string, PipelineValue> Parameters,
    string RunId,
    string ScheduleId,
    DateTime Occurrence);
