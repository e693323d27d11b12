using System.Diagnostics;

namespace Serverless.Orchestration.AzureStorage;

/// <summary>
/// When a poller next reads its storage queue. Only what the queue itself returned moves the schedule:
/// a receive that found messages makes the next one due at once (more may be waiting behind them), an
/// empty one doubles the wait up to the maximum. Local hand-offs do not count: they never came from
/// the queue, so they say nothing about what waits there, and resetting on them made every hand-off
/// cost a burst of empty receives (about half of all storage requests in a pipeline run).
/// </summary>
/// <remarks>
/// The worst case this allows is the one an idle worker already had: a message another process put on
/// the queue, or a timer coming due, is picked up within <see cref="TaskHubOptions.MaxPollingInterval"/>.
/// </remarks>
internal sealed class PollBackoff(TimeSpan first, TimeSpan max, Func<long>? clock = null)
{
    private readonly Func<long> _clock = clock ?? Stopwatch.GetTimestamp;
    private long _lastPoll = long.MinValue;
    private TimeSpan _interval = TimeSpan.Zero;

    /// <summary>The wait after the latest receive before the next one is due.</summary>
    public TimeSpan Interval => _interval;

    /// <summary>Time left until the next receive is due; zero when it is due now.</summary>
    public TimeSpan UntilDue
    {
        get
        {
            if (_lastPoll == long.MinValue)
            {
                return TimeSpan.Zero;
            }

            var left = _interval - Stopwatch.GetElapsedTime(_lastPoll, _clock());
            return left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }
    }

    /// <summary>True when the queue should be read now.</summary>
    public bool Due => UntilDue == TimeSpan.Zero;

    /// <summary>Records a receive that returned <paramref name="found"/> messages.</summary>
    public void Polled(int found)
    {
        _lastPoll = _clock();
        _interval = found > 0
            ? TimeSpan.Zero
            : TimeSpan.FromTicks(Math.Min(Math.Max(_interval.Ticks * 2, first.Ticks), max.Ticks));
    }

    /// <summary>Records a failed receive: try again after <paramref name="pause"/>.</summary>
    public void Failed(TimeSpan pause)
    {
        _lastPoll = _clock();
        _interval = pause;
    }
}
