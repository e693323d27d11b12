namespace Serverless.Pipelines.Planning;

/// <summary>Whether to attempt a failed step again, and after how long.</summary>
/// <param name="Retry">True to start another attempt.</param>
/// <param name="Delay">How long to wait before it (a durable timer, not a sleep).</param>
/// <param name="NextAttempt">The 1-based number of the next attempt when retrying.</param>
public sealed record RetryDecision(bool Retry, TimeSpan Delay, int NextAttempt);
