using Microsoft.Extensions.Logging;

namespace Serverless.Orchestration.AzureStorage;

/// <summary>The engine's log messages (event ids 1000–1999).</summary>
internal static partial class Log
{
    [LoggerMessage(1001, LogLevel.Warning, "Receiving from queue {Queue} failed")]
    public static partial void ReceiveFailed(ILogger logger, Exception exception, string queue);

    [LoggerMessage(1002, LogLevel.Information, "Instance {InstanceId} was changed by another worker; episode discarded")]
    public static partial void CheckpointConflict(ILogger logger, Exception exception, string instanceId);

    [LoggerMessage(1003, LogLevel.Error, "Episode of instance {InstanceId} failed; its messages will be retried")]
    public static partial void EpisodeFailed(ILogger logger, Exception exception, string instanceId);

    [LoggerMessage(1004, LogLevel.Error, "Poison message {MessageId} for instance {InstanceId} after {DequeueCount} deliveries; moved to the poison table")]
    public static partial void PoisonMessage(ILogger logger, string instanceId, string messageId, long dequeueCount);

    [LoggerMessage(1005, LogLevel.Warning, "Cleanup after a failed episode failed")]
    public static partial void CleanupFailed(ILogger logger, Exception exception);

    [LoggerMessage(1006, LogLevel.Information, "Worker {WorkerId} acquired partition {Partition}")]
    public static partial void PartitionAcquired(ILogger logger, string workerId, int partition);

    [LoggerMessage(1007, LogLevel.Information, "Worker {WorkerId} released partition {Partition}")]
    public static partial void PartitionReleased(ILogger logger, string workerId, int partition);

    [LoggerMessage(1008, LogLevel.Warning, "Partition lease maintenance failed")]
    public static partial void LeaseFailed(ILogger logger, Exception exception);

    [LoggerMessage(1009, LogLevel.Warning, "Activity {Name} for instance {InstanceId} failed: {Message}")]
    public static partial void ActivityFailed(ILogger logger, string name, string instanceId, string message);

    [LoggerMessage(1010, LogLevel.Information, "Retention purge removed {Count} instances")]
    public static partial void RetentionPurged(ILogger logger, int count);

    [LoggerMessage(1011, LogLevel.Warning, "Retention purge failed")]
    public static partial void RetentionFailed(ILogger logger, Exception exception);
}
