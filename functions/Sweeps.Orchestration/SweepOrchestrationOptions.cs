namespace Serverless.Sweeps.Orchestration;

/// <summary>Host-wide settings of swept steps.</summary>
public sealed class SweepOrchestrationOptions
{
    /// <summary>The configuration section (<c>Serverless:Sweeps</c>).</summary>
    public const string SectionName = "Serverless:Sweeps";

    /// <summary>
    /// How often running trials' intermediate metrics are read for early stopping. Durable timers have
    /// whole-second granularity, so values under a second behave as one second.
    /// </summary>
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Trials run at once when the sweep sets no <c>limits.max_concurrent_trials</c>.</summary>
    public int DefaultConcurrency { get; set; } = 4;
}
