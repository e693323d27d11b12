using System.Globalization;
using Azure;
using Azure.Core;

namespace Serverless.Compute.AzureBatch;

/// <summary>
/// Exponential backoff (doubling from the first delay up to the maximum, with Azure.Core's ±20 % jitter)
/// in which the server's requested wait is a floor that neither the maximum nor the jitter can shorten.
/// Azure.Core honours <c>Retry-After</c> in seconds but not in its HTTP-date form, and the HTTP spec
/// allows both.
/// </summary>
internal sealed class BatchDelayStrategy : DelayStrategy
{
    private const double JitterFloor = 0.8;
    private readonly TimeSpan _delay;
    private readonly TimeSpan _maxDelay;
    private readonly TimeProvider _clock;

    // The base class caps whatever we return at its maximum; ours is applied below, to the backoff only.
    public BatchDelayStrategy(TimeSpan delay, TimeSpan maxDelay, TimeProvider clock)
        : base(maxDelay: TimeSpan.FromDays(1), jitterFactor: 1 - JitterFloor)
    {
        _delay = delay;
        _maxDelay = maxDelay;
        _clock = clock;
    }

    protected override TimeSpan GetNextDelayCore(Response? response, int retryNumber)
    {
        var exponent = Math.Clamp(retryNumber - 1, 0, 30);
        var backoff = TimeSpan.FromTicks((long)Math.Min(_maxDelay.Ticks, _delay.Ticks * Math.Pow(2, exponent)));
        var server = ServerDelay(response);
        // Jitter may scale the result down to 80 %; dividing by that keeps the server's wait a true floor.
        return server > backoff ? server / JitterFloor : backoff;
    }

    private TimeSpan ServerDelay(Response? response)
    {
        if (response is null)
        {
            return TimeSpan.Zero;
        }

        foreach (var header in new[] { "retry-after-ms", "x-ms-retry-after-ms" })
        {
            if (response.Headers.TryGetValue(header, out var ms)
                && double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out var milliseconds) && milliseconds > 0)
            {
                return TimeSpan.FromMilliseconds(milliseconds);
            }
        }

        if (!response.Headers.TryGetValue("Retry-After", out var value) || string.IsNullOrWhiteSpace(value))
        {
            return TimeSpan.Zero;
        }

        if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(Math.Max(0, seconds));
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when)
            ? TimeSpan.FromTicks(Math.Max(0, (when - _clock.GetUtcNow()).Ticks))
            : TimeSpan.Zero;
    }
}
