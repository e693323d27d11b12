using System.Globalization;
using Serverless.Pipelines.Attempts;

namespace Serverless.Schedules.Running;

/// <summary>
/// The deterministic names of a schedule: its id, its orchestration instance and the run id of each
/// occurrence. The same schedule and occurrence always give the same run id, on any host, so an
/// occurrence can only ever start one run.
/// </summary>
public static class ScheduleIds
{
    /// <summary>The schedule's id: <c>PIPELINE.NAME</c>. Pipeline names have no dots, so the split is unambiguous.</summary>
    public static string ScheduleId(string pipeline, string name) => $"{pipeline}.{name}";

    /// <summary>Splits a schedule id into pipeline and schedule name, or returns false when it is not one.</summary>
    public static bool TrySplit(string scheduleId, out string pipeline, out string name)
    {
        var dot = scheduleId?.IndexOf('.', StringComparison.Ordinal) ?? -1;
        pipeline = dot > 0 ? scheduleId![..dot] : string.Empty;
        name = dot > 0 ? scheduleId![(dot + 1)..] : string.Empty;
        return dot > 0 && dot < scheduleId!.Length - 1;
    }

    /// <summary>The orchestration instance that runs the schedule.</summary>
    public static string InstanceId(string scheduleId) => $"schedule:{scheduleId}";

    /// <summary>
    /// The run id of a scheduled occurrence: <c>PIPELINE.NAME-yyyyMMddTHHmmssZ</c> (a long schedule id is
    /// shortened with a hash of it, see <see cref="PipelineRunIds.Compose"/>).
    /// </summary>
    public static string RunId(string scheduleId, DateTime occurrenceUtc) =>
        PipelineRunIds.Compose(scheduleId, $"-{occurrenceUtc.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}");

    /// <summary>The run id of a manual trigger: distinct from every scheduled occurrence.</summary>
    public static string ManualRunId(string scheduleId, DateTime requestedUtc, Guid nonce) =>
        PipelineRunIds.Compose(scheduleId, $"-manual-{requestedUtc.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}-{nonce.ToString("N")[..6]}");
}
