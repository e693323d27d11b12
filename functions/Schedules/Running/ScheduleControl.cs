using Serverless.Schedules.Definition;

namespace Serverless.Schedules.Running;

/// <summary>The payload of the <see cref="ScheduleOrchestration.ControlEvent"/> event.</summary>
public sealed record ScheduleControl
{
    /// <summary>What to do.</summary>
    public required ScheduleControlKind Kind { get; init; }

    /// <summary>For <see cref="ScheduleControlKind.Trigger"/>: the run id the caller already returned to its client.</summary>
    public string? RunId { get; init; }

    /// <summary>For <see cref="ScheduleControlKind.Update"/>: the new definition.</summary>
    public ScheduleDefinition? Definition { get; init; }

    /// <summary>For <see cref="ScheduleControlKind.Update"/>: the pipeline version the schedule runs (null: the latest).</summary>
    public string? Version { get; init; }

    /// <summary>For pause and resume: the request's number (<see cref="Store.ScheduleRecord.PauseSequence"/>).</summary>
    public long PauseSequence { get; init; }
}
