namespace Serverless.Orchestration;

/// <summary>
/// How an orchestrator retries a failed activity or sub-orchestration. Waits between attempts are
/// durable timers, so a retry survives restarts and costs no worker while waiting.
/// </summary>
public sealed class RetryPolicy
{
    /// <summary>Creates a policy.</summary>
    /// <param name="maxAttempts">Total attempts including the first (at least 1).</param>
    /// <param name="firstRetryInterval">Wait before the second attempt.</param>
    /// <param name="backoffCoefficient">Multiplier applied to the wait for each further attempt (at least 1).</param>
    /// <param name="maxRetryInterval">Upper bound on one wait; defaults to one hour.</param>
    /// <param name="retryTimeout">Give up once this much time has passed since the first attempt; defaults to unlimited.</param>
    public RetryPolicy(int maxAttempts, TimeSpan firstRetryInterval, double backoffCoefficient = 1.0,
        TimeSpan? maxRetryInterval = null, TimeSpan? retryTimeout = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(firstRetryInterval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(backoffCoefficient, 1.0);
        MaxAttempts = maxAttempts;
        FirstRetryInterval = firstRetryInterval;
        BackoffCoefficient = backoffCoefficient;
        MaxRetryInterval = maxRetryInterval ?? TimeSpan.FromHours(1);
        RetryTimeout = retryTimeout ?? TimeSpan.MaxValue;
    }

    /// <summary>Total attempts including the first.</summary>
    public int MaxAttempts { get; }

    /// <summary>Wait before the second attempt.</summary>
    public TimeSpan FirstRetryInterval { get; }

    /// <summary>Multiplier for each further wait.</summary>
    public double BackoffCoefficient { get; }

    /// <summary>Upper bound on one wait.</summary>
    public TimeSpan MaxRetryInterval { get; }

    /// <summary>Overall time budget for all attempts.</summary>
    public TimeSpan RetryTimeout { get; }

    /// <summary>Decides whether a failure is worth retrying; all failures by default.</summary>
    public Func<TaskFailedException, bool> Handle { get; init; } = static _ => true;

    /// <summary>The wait after failed attempt number <paramref name="attempt"/> (1-based).</summary>
    public TimeSpan DelayAfter(int attempt)
    {
        var ticks = FirstRetryInterval.Ticks * Math.Pow(BackoffCoefficient, attempt - 1);
        return ticks >= MaxRetryInterval.Ticks ? MaxRetryInterval : TimeSpan.FromTicks((long)ticks);
    }
}
