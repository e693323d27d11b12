namespace Serverless.Orchestration.AzureStorage;

/// <summary>Settings of a task hub: its storage names, partitioning, timing and limits.</summary>
public sealed class TaskHubOptions
{
    /// <summary>Configuration section the host binds these options from.</summary>
    public const string SectionName = "Serverless:Orchestration";

    /// <summary>
    /// The hub name: a prefix for every table, queue and container (3–40 lowercase letters and digits,
    /// starting with a letter). Hubs on one account are fully isolated.
    /// </summary>
    public string TaskHubName { get; set; } = "serverless";

    /// <summary>Number of control-queue partitions (1–16). Fixed once the hub exists.</summary>
    public int PartitionCount { get; set; } = 4;

    /// <summary>Identifies this worker in partition leases; a restarted process with the same id regains its partitions at once.</summary>
    public string WorkerId { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>How long a received control message stays invisible; a crashed worker's messages reappear after this.</summary>
    public TimeSpan ControlMessageVisibility { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a received activity message stays invisible; renewed while the activity runs.</summary>
    public TimeSpan ActivityMessageVisibility { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Deliveries after which a message is treated as poison and moved aside. A worker crash counts
    /// as a delivery for every message it held, so this leaves room for a few ordinary crashes.
    /// </summary>
    public int MaxDequeueCount { get; set; } = 10;

    /// <summary>Longest wait between polls of an idle queue.</summary>
    public TimeSpan MaxPollingInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Hand messages this worker sends to queues it polls itself straight to its pollers (the queue copy
    /// stays, invisible, as the crash fallback). Saves a receive and the polling delay per hop.
    /// </summary>
    public bool LocalHandOff { get; set; } = true;

    /// <summary>
    /// Activity calls one episode schedules beyond this many travel several to a work-item message
    /// (up to this many per message), so a large fan-out costs far fewer queue operations. Smaller
    /// fan-outs keep one call per message so several workers share them.
    /// </summary>
    public int ActivityCallsPerMessage { get; set; } = 16;

    /// <summary>Activities run at the same time by this worker.</summary>
    public int MaxConcurrentActivities { get; set; } = 32;

    /// <summary>Orchestration episodes run at the same time by this worker.</summary>
    public int MaxConcurrentOrchestrations { get; set; } = 32;

    /// <summary>How long a partition lease lasts without renewal.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often leases are renewed and rebalanced.</summary>
    public TimeSpan LeaseRenewInterval { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>
    /// Longest visibility delay put on one timer message. Azure queues cap it at 7 days; longer timers
    /// are re-enqueued for the remaining time when the message surfaces.
    /// </summary>
    public TimeSpan MaxTimerMessageDelay { get; set; } = TimeSpan.FromDays(6);

    /// <summary>Terminal instances older than this (by completion time) are purged automatically; null keeps them forever.</summary>
    public TimeSpan? HistoryRetention { get; set; }

    /// <summary>How often the retention purge runs.</summary>
    public TimeSpan RetentionInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Instance states kept in memory between episodes, to skip reloading history.</summary>
    public int InstanceCacheSize { get; set; } = 2000;

    /// <summary>Whether this process runs workers; a client-only process (CLI, tests) sets this false.</summary>
    public bool EnableWorkers { get; set; } = true;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (TaskHubName.Length is < 3 or > 40 || !char.IsAsciiLetterLower(TaskHubName[0]) ||
            !TaskHubName.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c)))
        {
            throw new ArgumentException($"TaskHubName '{TaskHubName}' must be 3-40 lowercase letters and digits, starting with a letter.");
        }

        if (PartitionCount is < 1 or > 16)
        {
            throw new ArgumentException($"PartitionCount {PartitionCount} must be between 1 and 16.");
        }

        if (MaxDequeueCount < 1)
        {
            throw new ArgumentException($"MaxDequeueCount {MaxDequeueCount} must be at least 1.");
        }

        if (MaxTimerMessageDelay <= TimeSpan.Zero || MaxTimerMessageDelay > TimeSpan.FromDays(7))
        {
            throw new ArgumentException($"MaxTimerMessageDelay {MaxTimerMessageDelay} must be positive and at most 7 days.");
        }
    }
}
