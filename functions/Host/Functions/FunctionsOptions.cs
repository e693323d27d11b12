namespace Serverless.Host.Functions;

/// <summary>How the trigger functions behave (section <c>Serverless:Functions</c>).</summary>
public sealed class FunctionsOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Serverless:Functions";

    /// <summary>
    /// Longest a tick or wake invocation stays open while the engine has work. An open invocation is
    /// what tells the platform this instance is busy; keep it under the timer period and the function timeout.
    /// </summary>
    public TimeSpan MaxHold { get; set; } = TimeSpan.FromSeconds(40);

    /// <summary>How often an open invocation looks at the engine's queues.</summary>
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Local mode: whether this process runs the catalog's timer and queue triggers itself.</summary>
    public bool LocalTriggers { get; set; } = true;

    /// <summary>Local mode: how often the wake queue is read.</summary>
    public TimeSpan LocalQueuePollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Whether a request that may start work (any method but GET/HEAD/OPTIONS) posts a wake message, so the
    /// platform keeps an instance while that work runs. On by default under the Functions host.
    /// </summary>
    public bool? WakeOnWrite { get; set; }

    /// <summary>Shortest time between two wake messages posted by one process.</summary>
    public TimeSpan WakeDebounce { get; set; } = TimeSpan.FromSeconds(15);
}
