namespace Serverless.Pipelines.Definition;

/// <summary>How often a failed step is attempted and how long to wait between attempts.</summary>
public sealed record RetryPolicy
{
    /// <summary>No retries: one attempt.</summary>
    public static RetryPolicy None { get; } = new();

    /// <summary>Total attempts including the first (at least 1).</summary>
    public int MaxAttempts { get; init; } = 1;

    /// <summary>Delay before the second attempt.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Upper bound of any delay.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Factor applied to the delay after each failed attempt.</summary>
    public double Multiplier { get; init; } = 2.0;
}
