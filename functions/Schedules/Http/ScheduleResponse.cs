using System.Globalization;
using System.Text.Json;
using Serverless.Schedules.Definition;
using Serverless.Schedules.Store;

namespace Serverless.Schedules.Http;

/// <summary>The <c>Schedule</c> object of the HTTP API.</summary>
public sealed record ScheduleResponse
{
    /// <summary>The schedule id, <c>PIPELINE.NAME</c>.</summary>
    public required string Id { get; init; }

    /// <summary>The pipeline.</summary>
    public required string Pipeline { get; init; }

    /// <summary>The schedule's name.</summary>
    public required string Name { get; init; }

    /// <summary>The pipeline version runs use (null: latest).</summary>
    public string? Version { get; init; }

    /// <summary>The cron expression as declared.</summary>
    public required string Cron { get; init; }

    /// <summary>The IANA time zone.</summary>
    public required string TimeZone { get; init; }

    /// <summary>Whether the schedule is paused.</summary>
    public bool Paused { get; init; }

    /// <summary><c>skip</c>, <c>queue</c> or <c>cancel-previous</c>.</summary>
    public required string Overlap { get; init; }

    /// <summary><c>none</c>, <c>latest</c>, <c>all</c> or <c>all(6h)</c> (all within a window).</summary>
    public required string CatchUp { get; init; }

    /// <summary>Parameters of the scheduled runs.</summary>
    public IReadOnlyDictionary<string, JsonElement> Parameters { get; init; } = new Dictionary<string, JsonElement>();

    /// <summary>The next occurrences, ISO 8601 UTC; empty when paused or ended.</summary>
    public IReadOnlyList<string> NextOccurrences { get; init; } = [];

    /// <summary>The last run started.</summary>
    public string? LastRunId { get; init; }

    /// <summary>The occurrence of the last run started, ISO 8601 UTC.</summary>
    public string? LastFiredAt { get; init; }

    /// <summary>Runs started so far.</summary>
    public long Fired { get; init; }

    /// <summary>Occurrences dropped so far (catch-up, overlap skip, full queue, failed start).</summary>
    public long Dropped { get; init; }

    /// <summary>Occurrences waiting for the previous run.</summary>
    public int Queued { get; init; }

    /// <summary>Why the last start failed, or null.</summary>
    public string? LastError { get; init; }

    /// <summary>Builds the response from a listing row.</summary>
    public static ScheduleResponse From(ScheduleRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var d = record.Definition;
        return new ScheduleResponse
        {
            Id = record.Id,
            Pipeline = record.Pipeline,
            Name = d.Name,
            Version = record.Version,
            Cron = d.Cron,
            TimeZone = d.TimeZone,
            Paused = record.Paused,
            Overlap = d.Overlap switch { OverlapPolicy.Queue => "queue", OverlapPolicy.CancelPrevious => "cancel-previous", _ => "skip" },
            CatchUp = d.CatchUp.ToString(),
            Parameters = d.Parameters.ToDictionary(p => p.Key, p => JsonDocument.Parse(p.Value.ToJson()).RootElement.Clone()),
            NextOccurrences = record.NextOccurrences.Select(Iso).ToList(),
            LastRunId = record.LastRunId,
            LastFiredAt = record.LastFiredAt is { } f ? Iso(f) : null,
            Fired = record.Fired,
            Dropped = record.Dropped,
            Queued = record.Queued,
            LastError = record.LastError,
        };
    }

    private static string Iso(DateTime utc) =>
        DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
