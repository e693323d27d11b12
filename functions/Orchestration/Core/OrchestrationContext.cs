using Microsoft.Extensions.Logging;

namespace Serverless.Orchestration;

/// <summary>
/// What an orchestrator sees of the world. Orchestrator code is replayed from its history after every
/// event, so it must be deterministic: use <see cref="CurrentUtcDateTime"/>, <see cref="NewGuid"/>,
/// durable timers and activities instead of the clock, random numbers, I/O or <c>Task.Delay</c>, and
/// never <c>ConfigureAwait(false)</c>.
/// </summary>
public abstract class OrchestrationContext
{
    /// <summary>This instance's id.</summary>
    public abstract string InstanceId { get; }

    /// <summary>This execution's id (changes on <see cref="ContinueAsNew"/> and restart).</summary>
    public abstract string ExecutionId { get; }

    /// <summary>The orchestrator's registered name.</summary>
    public abstract string Name { get; }

    /// <summary>The parent instance when this is a sub-orchestration.</summary>
    public abstract ParentInstance? Parent { get; }

    /// <summary>The orchestration's current time: the same value on every replay of the same point.</summary>
    public abstract DateTime CurrentUtcDateTime { get; }

    /// <summary>True while the code re-executes events already in history.</summary>
    public abstract bool IsReplaying { get; }

    /// <summary>The input deserialized as <typeparamref name="T"/>.</summary>
    public abstract T? GetInput<T>();

    /// <summary>Schedules an activity and returns its result.</summary>
    /// <remarks>Activities run at least once; make them idempotent.</remarks>
    /// <exception cref="TaskFailedException">The activity failed (after any retries).</exception>
    public abstract Task<TResult?> CallActivityAsync<TResult>(string name, object? input = null, TaskOptions? options = null);

    /// <summary>Schedules an activity whose result is not needed.</summary>
    /// <exception cref="TaskFailedException">The activity failed (after any retries).</exception>
    public Task CallActivityAsync(string name, object? input = null, TaskOptions? options = null) =>
        CallActivityAsync<object>(name, input, options);

    /// <summary>Starts a sub-orchestration and returns its output.</summary>
    /// <exception cref="TaskFailedException">The sub-orchestration failed (after any retries).</exception>
    public abstract Task<TResult?> CallSubOrchestratorAsync<TResult>(string name, object? input = null, TaskOptions? options = null);

    /// <summary>Starts a sub-orchestration whose output is not needed.</summary>
    /// <exception cref="TaskFailedException">The sub-orchestration failed (after any retries).</exception>
    public Task CallSubOrchestratorAsync(string name, object? input = null, TaskOptions? options = null) =>
        CallSubOrchestratorAsync<object>(name, input, options);

    /// <summary>
    /// A durable timer that completes at <paramref name="fireAt"/> (UTC). Any length works, including
    /// beyond the storage queues' 7-day visibility limit. Cancelling the token abandons the wait.
    /// </summary>
    public abstract Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken = default);

    /// <summary>A durable timer that completes after <paramref name="delay"/>.</summary>
    public Task CreateTimer(TimeSpan delay, CancellationToken cancellationToken = default) =>
        CreateTimer(CurrentUtcDateTime + delay, cancellationToken);

    /// <summary>Waits for an external event raised with <paramref name="name"/> (case-insensitive).</summary>
    /// <param name="name">The event name.</param>
    /// <param name="timeout">Give up after this long; null waits forever.</param>
    /// <param name="cancellationToken">Abandons the wait.</param>
    /// <exception cref="TimeoutException">No event arrived within <paramref name="timeout"/>.</exception>
    public abstract Task<T?> WaitForExternalEvent<T>(string name, TimeSpan? timeout = null, CancellationToken cancellationToken = default);

    /// <summary>Sends an event to another orchestration instance.</summary>
    public abstract void SendEvent(string instanceId, string eventName, object? data = null);

    /// <summary>
    /// Ends this execution and starts a new one with <paramref name="input"/>, which keeps the history
    /// bounded for eternal orchestrations. Events not yet consumed are carried over when
    /// <paramref name="preserveUnprocessedEvents"/> is true.
    /// </summary>
    public abstract void ContinueAsNew(object? input, bool preserveUnprocessedEvents = true);

    /// <summary>Publishes a status object readable by clients while the orchestration runs.</summary>
    public abstract void SetCustomStatus(object? status);

    /// <summary>A GUID that is the same on every replay.</summary>
    public abstract Guid NewGuid();

    /// <summary>A logger that writes only when the code is not replaying.</summary>
    public abstract ILogger CreateReplaySafeLogger(ILogger logger);
}
