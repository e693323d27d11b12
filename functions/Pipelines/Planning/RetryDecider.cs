using Serverless.Pipelines.Definition;

namespace Serverless.Pipelines.Planning;

/// <summary>The retry rule as a pure function: exponential backoff without jitter, so replays agree.</summary>
public static class RetryDecider
{
    /// <summary>Decides what follows failed attempt <paramref name="failedAttempt"/> (1-based).</summary>
    /// <remarks>The delay before attempt n+1 is min(max, initial × multiplier^(n−1)).</remarks>
    public static RetryDecision Decide(RetryPolicy policy, int failedAttempt, FailureKind kind)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentOutOfRangeException.ThrowIfLessThan(failedAttempt, 1);
        if (kind == FailureKind.Cancelled || failedAttempt >= policy.MaxAttempts)
        {
            return new RetryDecision(false, TimeSpan.Zero, failedAttempt);
        }

        var seconds = policy.InitialBackoff.TotalSeconds * Math.Pow(policy.Multiplier, failedAttempt - 1);
        var delay = !double.IsFinite(seconds) || seconds >= policy.MaxBackoff.TotalSeconds
            ? policy.MaxBackoff
            : TimeSpan.FromSeconds(seconds);
        return new RetryDecision(true, delay, failedAttempt + 1);
    }
}
