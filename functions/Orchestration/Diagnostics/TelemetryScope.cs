using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Serverless.Orchestration.Diagnostics;

/// <summary>One timed unit of engine work: ends its span and records its duration (and failure) on dispose.</summary>
internal sealed class TelemetryScope(Activity? span, Histogram<double> duration, Counter<long> failures, KeyValuePair<string, object?>? dimension) : IDisposable
{
    private readonly long _started = Stopwatch.GetTimestamp();
    private string? _error;

    /// <summary>Marks the unit failed with <paramref name="errorType"/> (an exception type or failure kind).</summary>
    public void Fail(string errorType)
    {
        _error = errorType;
        span?.SetStatus(ActivityStatusCode.Error, errorType);
        span?.SetTag(EngineTelemetry.ErrorTypeTag, errorType);
    }

    /// <summary>Marks the unit failed by <paramref name="exception"/>.</summary>
    public void Fail(Exception exception) => Fail(exception.GetType().Name);

    /// <summary>Marks an activity failed when its answer is a <see cref="EventType.TaskFailed"/>.</summary>
    public void Answered(HistoryEvent response)
    {
        if (response.Type == EventType.TaskFailed)
        {
            Fail(response.Failure?.ErrorType ?? "TaskFailed");
        }
    }

    public void Dispose()
    {
        // Instance ids are unbounded; they go on spans, never on metric dimensions.
        var tags = dimension is { } d ? new TagList { d } : default;
        duration.Record(Stopwatch.GetElapsedTime(_started).TotalSeconds, tags);
        if (_error is not null)
        {
            tags.Add(EngineTelemetry.ErrorTypeTag, _error);
            failures.Add(1, tags);
        }

        span?.Dispose();
    }
}
