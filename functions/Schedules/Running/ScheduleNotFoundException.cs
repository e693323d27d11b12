namespace Serverless.Schedules.Running;

/// <summary>No schedule has the id.</summary>
/// <param name="scheduleId">The id asked for.</param>
public sealed class ScheduleNotFoundException(string scheduleId)
    : Exception($"schedule '{scheduleId}' not found (ids are PIPELINE.NAME, as listed by GET /api/schedules)")
{
    /// <summary>The id asked for.</summary>
    public string ScheduleId { get; } = scheduleId;
}
