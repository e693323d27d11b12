using Serverless.Orchestration.AzureStorage;

namespace Serverless.Orchestration;

/// <summary>
/// Starts, inspects and controls orchestration instances of one task hub. Safe to use from any
/// process that can reach the storage account; workers need not run in the same process.
/// </summary>
public sealed class OrchestrationClient
{
    private readonly InstanceStore _store;
    private readonly TaskHubQueues _queues;
    private readonly PoisonStore _poison;

    internal OrchestrationClient(InstanceStore store, TaskHubQueues queues, PoisonStore poison)
    {
        _store = store;
        _queues = queues;
        _poison = poison;
    }

    /// <summary>Starts a new instance of <paramref name="orchestratorName"/> and returns its id.</summary>
    /// <exception cref="ArgumentException">The instance id is not acceptable.</exception>
    /// <exception cref="InstanceAlreadyExistsException">An unfinished instance with the id exists.</exception>
    public Task<string> StartNewAsync(string orchestratorName, object? input = null, StartOrchestrationOptions? options = null, CancellationToken cancellationToken = default) =>
        StartNewRawAsync(orchestratorName, DataConverter.Serialize(input), options, cancellationToken);

    /// <summary>Starts a new instance with input given as JSON text.</summary>
    /// <exception cref="ArgumentException">The instance id is not acceptable.</exception>
    /// <exception cref="InstanceAlreadyExistsException">An unfinished instance with the id exists.</exception>
    public async Task<string> StartNewRawAsync(string orchestratorName, string? inputJson, StartOrchestrationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orchestratorName);
        var instanceId = options?.InstanceId ?? Guid.NewGuid().ToString("N");
        InstanceIds.Validate(instanceId);
        var existing = await _store.ReadInstanceAsync(instanceId, fetchPayloads: false, cancellationToken);
        if (existing is not null && !existing.Status.IsTerminal())
        {
            throw new InstanceAlreadyExistsException(instanceId, existing.Status);
        }

        var executionId = Guid.NewGuid().ToString("N");
        var now = DateTime.UtcNow;
        var start = new HistoryEvent { Type = EventType.ExecutionStarted, Name = orchestratorName, Input = inputJson, ExecutionId = executionId, Timestamp = now };

        // First the start message, then the instance row: if this process dies in between, the worker
        // that receives the message creates the row itself, so the instance never hangs in Pending.
        var delay = options?.StartAt is { } at && at > now ? at - now : (TimeSpan?)null;
        var message = new TaskMessage
        {
            Id = $"{instanceId}|{executionId}|start",
            InstanceId = instanceId,
            ExecutionId = executionId,
            Events = [start],
            CreatedTime = now,
        };
        Func<Task>? release = null;
        if (delay is null)
        {
            // A local worker gets the start only after the row below is written, so it never races this write.
            release = await _queues.SendControlHeldAsync(message, cancellationToken);
        }
        else
        {
            await _queues.SendControlAsync(message, delay, cancellationToken);
        }

        try
        {
            await WriteStartRowAsync(instanceId, orchestratorName, inputJson, executionId, now, existing, cancellationToken);
        }
        finally
        {
            if (release is not null)
            {
                await release();
            }
        }

        return instanceId;
    }

    private async Task WriteStartRowAsync(string instanceId, string orchestratorName, string? inputJson, string executionId, DateTime now, InstanceState? existing, CancellationToken cancellationToken)
    {

        var state = new InstanceState
        {
            InstanceId = instanceId,
            ExecutionId = executionId,
            Name = orchestratorName,
            Status = OrchestrationStatus.Pending,
            CreatedTime = now,
            LastUpdatedTime = now,
            Input = inputJson,
            ETag = existing?.ETag,
        };
        var written = existing is null
            ? await _store.TryAddInstanceAsync(state, cancellationToken)
            : await _store.TryReplaceInstanceAsync(state, cancellationToken);
        if (!written)
        {
            var current = await _store.ReadInstanceAsync(instanceId, fetchPayloads: false, cancellationToken);
            if (current is null || !string.Equals(current.ExecutionId, executionId, StringComparison.Ordinal))
            {
                // Another start won the race; ours is dropped by the worker as stale.
                throw new InstanceAlreadyExistsException(instanceId, current?.Status ?? OrchestrationStatus.Unknown);
            }
        }
    }

    /// <summary>The instance's state, or null when it does not exist.</summary>
    public async Task<OrchestrationMetadata?> GetInstanceAsync(string instanceId, bool fetchInputsAndOutputs = true, CancellationToken cancellationToken = default)
    {
        if (InstanceIds.GetProblem(instanceId) is not null)
        {
            return null;
        }

        return (await _store.ReadInstanceAsync(instanceId, fetchInputsAndOutputs, cancellationToken))?.ToMetadata();
    }

    /// <summary>The current execution's history, or null when the instance does not exist.</summary>
    public async Task<IReadOnlyList<HistoryEvent>?> GetHistoryAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        if (InstanceIds.GetProblem(instanceId) is not null)
        {
            return null;
        }

        return (await _store.LoadAsync(instanceId, cancellationToken))?.History;
    }

    /// <summary>One page of instances matching <paramref name="query"/>.</summary>
    public Task<OrchestrationQueryResult> QueryInstancesAsync(OrchestrationQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return _store.QueryAsync(query, cancellationToken);
    }

    /// <summary>Sends an event to a running instance.</summary>
    /// <exception cref="InstanceNotFoundException">No such instance.</exception>
    /// <exception cref="InstanceStateException">The instance has finished.</exception>
    public async Task RaiseEventAsync(string instanceId, string eventName, object? data = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(eventName);
        await SendAsync(instanceId, "raise an event on", s => !s.IsTerminal(),
            new HistoryEvent { Type = EventType.EventRaised, Name = eventName, Input = DataConverter.Serialize(data), Timestamp = DateTime.UtcNow }, cancellationToken);
    }

    /// <summary>Sends an event whose data is JSON text.</summary>
    /// <exception cref="InstanceNotFoundException">No such instance.</exception>
    /// <exception cref="InstanceStateException">The instance has finished.</exception>
    public Task RaiseEventRawAsync(string instanceId, string eventName, string? dataJson, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(eventName);
        return SendAsync(instanceId, "raise an event on", s => !s.IsTerminal(),
            new HistoryEvent { Type = EventType.EventRaised, Name = eventName, Input = dataJson, Timestamp = DateTime.UtcNow }, cancellationToken);
    }

    /// <summary>Terminates an unfinished instance (its running activities are not interrupted).</summary>
    /// <exception cref="InstanceNotFoundException">No such instance.</exception>
    /// <exception cref="InstanceStateException">The instance has finished.</exception>
    public Task TerminateAsync(string instanceId, string? reason = null, CancellationToken cancellationToken = default) =>
        SendAsync(instanceId, "terminate", s => !s.IsTerminal(),
            new HistoryEvent { Type = EventType.ExecutionTerminated, Reason = reason, Timestamp = DateTime.UtcNow }, cancellationToken);

    /// <summary>Suspends a running instance: events are kept until it is resumed.</summary>
    /// <exception cref="InstanceNotFoundException">No such instance.</exception>
    /// <exception cref="InstanceStateException">The instance is not running.</exception>
    public Task SuspendAsync(string instanceId, string? reason = null, CancellationToken cancellationToken = default) =>
        SendAsync(instanceId, "suspend", s => s is OrchestrationStatus.Running or OrchestrationStatus.Pending,
            new HistoryEvent { Type = EventType.ExecutionSuspended, Reason = reason, Timestamp = DateTime.UtcNow }, cancellationToken);

    /// <summary>Resumes a suspended instance.</summary>
    /// <exception cref="InstanceNotFoundException">No such instance.</exception>
    /// <exception cref="InstanceStateException">The instance is not suspended.</exception>
    public Task ResumeAsync(string instanceId, string? reason = null, CancellationToken cancellationToken = default) =>
        SendAsync(instanceId, "resume", s => s is OrchestrationStatus.Suspended or OrchestrationStatus.Running,
            new HistoryEvent { Type = EventType.ExecutionResumed, Reason = reason, Timestamp = DateTime.UtcNow }, cancellationToken);

    /// <summary>Starts the instance again with its original input, under the same id (when finished) or a new one.</summary>
    /// <exception cref="InstanceNotFoundException">No such instance.</exception>
    /// <exception cref="InstanceAlreadyExistsException">Restarting under the same id while it still runs.</exception>
    public async Task<string> RestartAsync(string instanceId, bool restartWithNewInstanceId, CancellationToken cancellationToken = default)
    {
        var existing = await GetInstanceAsync(instanceId, true, cancellationToken) ?? throw new InstanceNotFoundException(instanceId);
        return await StartNewRawAsync(existing.Name, existing.SerializedInput,
            new StartOrchestrationOptions { InstanceId = restartWithNewInstanceId ? null : instanceId }, cancellationToken);
    }

    /// <summary>Deletes a finished instance's history, state and payloads; false when it does not exist.</summary>
    /// <exception cref="InstanceStateException">The instance has not finished.</exception>
    public Task<bool> PurgeInstanceAsync(string instanceId, CancellationToken cancellationToken = default) =>
        InstanceIds.GetProblem(instanceId) is null ? _store.PurgeAsync(instanceId, cancellationToken) : Task.FromResult(false);

    /// <summary>Deletes every finished instance matching <paramref name="filter"/>; returns how many.</summary>
    public async Task<int> PurgeInstancesAsync(PurgeFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var statuses = filter.Statuses is { Count: > 0 } s ? s.Where(x => x.IsTerminal()).ToArray()
            : [OrchestrationStatus.Completed, OrchestrationStatus.Failed, OrchestrationStatus.Terminated, OrchestrationStatus.Canceled];
        if (statuses.Length == 0)
        {
            return 0;
        }

        var query = InstanceStore.BuildFilter(statuses, filter.CreatedFrom, filter.CreatedTo, null);
        var victims = new List<string>();
        await foreach (var state in _store.ScanAsync(query, cancellationToken))
        {
            if (filter.CompletedBefore is not { } before || (state.CompletedTime is { } done && done < before))
            {
                victims.Add(state.InstanceId);
            }
        }

        var purged = 0;
        await Parallel.ForEachAsync(victims, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (id, ct) =>
        {
            try
            {
                if (await _store.PurgeAsync(id, ct))
                {
                    Interlocked.Increment(ref purged);
                }
            }
            catch (InstanceStateException)
            {
                // Restarted since the scan; no longer finished.
            }
        });
        return purged;
    }

    /// <summary>Polls until the instance finishes or <paramref name="cancellationToken"/> fires.</summary>
    /// <exception cref="InstanceNotFoundException">No such instance.</exception>
    public async Task<OrchestrationMetadata> WaitForCompletionAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        var delay = TimeSpan.FromMilliseconds(20);
        while (true)
        {
            var state = await GetInstanceAsync(instanceId, true, cancellationToken) ?? throw new InstanceNotFoundException(instanceId);
            if (state.RuntimeStatus.IsTerminal())
            {
                return state;
            }

            await Task.Delay(delay, cancellationToken);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 1.5, 500));
        }
    }

    /// <summary>Messages moved aside as poison, newest first, optionally for one instance.</summary>
    public async Task<IReadOnlyList<PoisonMessageInfo>> GetPoisonMessagesAsync(string? instanceId = null, CancellationToken cancellationToken = default)
    {
        var rows = await _poison.ListAsync(instanceId, cancellationToken);
        return rows.Select(r => new PoisonMessageInfo(r.PartitionKey, r.GetString("Queue") ?? string.Empty,
            r.GetString("Reason") ?? string.Empty, r.GetInt64("DequeueCount") ?? 0, r.GetString("Message") ?? string.Empty)).ToList();
    }

    private async Task SendAsync(string instanceId, string operation, Func<OrchestrationStatus, bool> allowed, HistoryEvent e, CancellationToken cancellationToken)
    {
        if (InstanceIds.GetProblem(instanceId) is not null)
        {
            throw new InstanceNotFoundException(instanceId);
        }

        var state = await _store.ReadInstanceAsync(instanceId, fetchPayloads: false, cancellationToken) ?? throw new InstanceNotFoundException(instanceId);
        if (!allowed(state.Status))
        {
            throw new InstanceStateException(instanceId, state.Status, operation);
        }

        await _queues.SendControlAsync(new TaskMessage
        {
            Id = Guid.NewGuid().ToString("N"),
            InstanceId = instanceId,
            Events = [e],
            CreatedTime = e.Timestamp,
        }, null, cancellationToken);
    }
}

/// <summary>A message that was moved aside as poison.</summary>
/// <param name="InstanceId">The instance it was for ("_unknown" when unreadable).</param>
/// <param name="Queue">The queue it came from.</param>
/// <param name="Reason">Why it was given up on.</param>
/// <param name="DequeueCount">How many times it had been delivered.</param>
/// <param name="Message">The message text (truncated when very large).</param>
public sealed record PoisonMessageInfo(string InstanceId, string Queue, string Reason, long DequeueCount, string Message);
