using System.Text.Json.Serialization;
using Serverless.Pipelines.Definition;

namespace Serverless.Schedules.Definition;

/// <summary>One entry of a pipeline's <c>schedules:</c> list, validated.</summary>
public sealed record ScheduleDefinition
{
    /// <summary>The schedule's name, unique within its pipeline (letters, digits, '_' and '-').</summary>
    public required string Name { get; init; }

    /// <summary>The cron expression as written: six fields (with seconds, like Functions timers) or five.</summary>
    public required string Cron { get; init; }

    /// <summary>The IANA time zone the cron expression is read in; <c>UTC</c> by default.</summary>
    public string TimeZone { get; init; } = "UTC";

    /// <summary>Parameters for the scheduled runs, typed against the pipeline's parameters.</summary>
    public IReadOnlyDictionary<string, PipelineValue> Parameters { get; init; } = new Dictionary<string, PipelineValue>();

    /// <summary>What happens when an occurrence comes while the previous run is still running.</summary>
    public OverlapPolicy Overlap { get; init; } = OverlapPolicy.Skip;

    /// <summary>Which occurrences missed during downtime fire later.</summary>
    public CatchUpPolicy CatchUp { get; init; } = CatchUpPolicy.None;

    /// <summary>No occurrence before this instant fires.</summary>
    public DateTimeOffset? Start { get; init; }

    /// <summary>No occurrence after this instant fires.</summary>
    public DateTimeOffset? End { get; init; }

    /// <summary>Whether the schedule is declared paused.</summary>
    public bool Paused { get; init; }

    /// <summary>Where the schedule is declared, for messages.</summary>
    [JsonIgnore]
    public SourceMark Mark { get; init; } = SourceMark.None;
}
