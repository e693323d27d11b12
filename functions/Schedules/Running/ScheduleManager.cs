using Serverless.Orchestration;
using Serverless.Pipelines.Definition;
using Serverless.Pipelines.Packaging;
using Serverless.Pipelines.Parsing;
using Serverless.Schedules.Calculation;
using Serverless.Schedules.Definition;
using Serverless.Schedules.Store;

namespace Serverless.Schedules.Running;

/// <summary>
/// What the HTTP API and the CLI do with schedules: apply a pipeline version's schedules (create, update,
/// remove orchestrations), list, pause, resume, trigger and delete. Reads come from the listing table;
/// changes go to the orchestrations as control events, and to the table at once so listings show them.
/// </summary>
public sealed class ScheduleManager
{
    private readonly OrchestrationClient _client;
    private readonly ScheduleStore _store;
    private readonly PipelinePackager? _packager;
    private readonly SchedulerOptions _options;
    private readonly TimeProvider _time;

    /// <summary>Creates the manager.</summary>
    /// <param name="client">The engine's client.</param>
    /// <param name="store">The listing table.</param>
    /// <param name="packager">Reads published versions for <see cref="ApplyAsync(string, string?, CancellationToken)"/>; may be null when only definitions are applied.</param>
    /// <param name="options">Scheduler options.</param>
    /// <param name="time">The clock for next occurrences in listings.</param>
    public ScheduleManager(OrchestrationClient client, ScheduleStore store, PipelinePackager? packager, SchedulerOptions options, TimeProvider? time = null)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _packager = packager;
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _time = time ?? TimeProvider.System;
    }

    /// <summary>
    /// Applies the schedules declared in a published version of <paramref name="pipeline"/> (the latest when
    /// <paramref name="version"/> is null); the schedules then run that version.
    /// </summary>
    /// <exception cref="KeyNotFoundException">The pipeline or version is not published.</exception>
    /// <exception cref="PipelineValidationException">The version's schedules are invalid; all problems are listed.</exception>
    public async Task<IReadOnlyList<ScheduleRecord>> ApplyAsync(string pipeline, string? version, CancellationToken cancellationToken = default)
    {
        var packager = _packager ?? throw new InvalidOperationException("no package store is configured, so published versions cannot be read");
        var manifest = version is null
            ? (await packager.ListAsync(pipeline, cancellationToken)) is [var latest, ..] ? latest : null
            : await packager.GetAsync(pipeline, version, cancellationToken);
        if (manifest is null)
        {
            throw new KeyNotFoundException(version is null
                ? $"pipeline '{pipeline}' has no published version"
                : $"pipeline '{pipeline}' has no published version '{version}'");
        }

        var yaml = await packager.ReadDefinitionAsync(pipeline, manifest.Version, cancellationToken)
            ?? throw new KeyNotFoundException($"pipeline '{pipeline}' version '{manifest.Version}' has no {PipelinePackager.DefinitionFileName}");
        var file = $"{pipeline}@{manifest.Version}/{PipelinePackager.DefinitionFileName}";
        var definition = PipelineParser.Parse(yaml, file).GetDefinitionOrThrow();
        var schedules = ScheduleParser.Parse(yaml, file, definition);
        if (!schedules.IsValid)
        {
            throw new PipelineValidationException(schedules.Diagnostics);
        }

        return await ApplyAsync(pipeline, manifest.Version, schedules.Schedules, cancellationToken);
    }

    /// <summary>
    /// Makes <paramref name="schedules"/> the pipeline's schedules: new ones get an orchestration, existing
    /// ones an update event, and schedules of the pipeline not in the list are deleted.
    /// </summary>
    public async Task<IReadOnlyList<ScheduleRecord>> ApplyAsync(string pipeline, string? version, IReadOnlyList<ScheduleDefinition> schedules, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pipeline);
        ArgumentNullException.ThrowIfNull(schedules);
        var existing = (await _store.ListAsync(pipeline, cancellationToken)).ToDictionary(r => r.Definition.Name, StringComparer.Ordinal);
        var result = new List<ScheduleRecord>();
        foreach (var schedule in schedules)
        {
            var id = ScheduleIds.ScheduleId(pipeline, schedule.Name);
            var instanceId = ScheduleIds.InstanceId(id);
            existing.TryGetValue(schedule.Name, out var old);
            var paused = old is not null && old.Definition.Paused == schedule.Paused ? old.Paused : schedule.Paused;
            var record = (old ?? new ScheduleRecord { Id = id, Pipeline = pipeline, Definition = schedule }) with
            {
                Version = version,
                Definition = schedule,
                Paused = paused,
                NextOccurrences = paused ? [] : ScheduleCalculator.NextOccurrences(schedule, _time.GetUtcNow().UtcDateTime, _options.ShownOccurrences),
            };
            await _store.UpsertAsync(record, cancellationToken);
            if (!await IsLiveAsync(instanceId, cancellationToken) || !await TrySendAsync(instanceId, new ScheduleControl { Kind = ScheduleControlKind.Update, Definition = schedule, Version = version }, cancellationToken))
            {
                try
                {
                    await _client.StartNewAsync(ScheduleOrchestration.Name, ScheduleOrchestration.InitialState(pipeline, version, schedule), new StartOrchestrationOptions { InstanceId = instanceId }, cancellationToken);
                }
                catch (InstanceAlreadyExistsException)
                {
                    // A concurrent apply started it a moment ago; ours becomes an update.
                    await TrySendAsync(instanceId, new ScheduleControl { Kind = ScheduleControlKind.Update, Definition = schedule, Version = version }, cancellationToken);
                }
            }

            result.Add(record);
        }

        foreach (var removed in existing.Values.Where(r => !schedules.Any(s => s.Name == r.Definition.Name)))
        {
            await DeleteAsync(removed.Id, cancellationToken);
        }

        return result;
    }

    /// <summary>All schedules, or those of one pipeline, with next occurrences computed for now.</summary>
    public async Task<IReadOnlyList<ScheduleRecord>> ListAsync(string? pipeline = null, CancellationToken cancellationToken = default) =>
        (await _store.ListAsync(pipeline, cancellationToken)).Select(Fresh).ToList();

    /// <summary>One schedule, with next occurrences computed for now.</summary>
    /// <exception cref="ScheduleNotFoundException">No such schedule.</exception>
    public async Task<ScheduleRecord> GetAsync(string scheduleId, CancellationToken cancellationToken = default)
    {
        var (pipeline, name) = Split(scheduleId);
        return Fresh(await _store.GetAsync(pipeline, name, cancellationToken) ?? throw new ScheduleNotFoundException(scheduleId));
    }

    /// <summary>Pauses a schedule: no occurrence fires until it is resumed.</summary>
    /// <exception cref="ScheduleNotFoundException">No such schedule.</exception>
    public Task<ScheduleRecord> PauseAsync(string scheduleId, CancellationToken cancellationToken = default) =>
        SetPausedAsync(scheduleId, paused: true, cancellationToken);

    /// <summary>Resumes a schedule from now; occurrences that passed while it was paused do not fire.</summary>
    /// <exception cref="ScheduleNotFoundException">No such schedule.</exception>
    public Task<ScheduleRecord> ResumeAsync(string scheduleId, CancellationToken cancellationToken = default) =>
        SetPausedAsync(scheduleId, paused: false, cancellationToken);

    /// <summary>Starts a run now, whatever the cron, pause or overlap policy say; returns its run id.</summary>
    /// <exception cref="ScheduleNotFoundException">No such schedule.</exception>
    public async Task<string> TriggerAsync(string scheduleId, CancellationToken cancellationToken = default)
    {
        await GetAsync(scheduleId, cancellationToken);
        var runId = ScheduleIds.ManualRunId(scheduleId, _time.GetUtcNow().UtcDateTime, Guid.NewGuid());
        if (!await TrySendAsync(ScheduleIds.InstanceId(scheduleId), new ScheduleControl { Kind = ScheduleControlKind.Trigger, RunId = runId }, cancellationToken))
        {
            throw new ScheduleNotFoundException(scheduleId);
        }

        return runId;
    }

    /// <summary>Deletes a schedule: its orchestration ends and its row goes; runs it started are untouched.</summary>
    /// <exception cref="ScheduleNotFoundException">No such schedule.</exception>
    public async Task DeleteAsync(string scheduleId, CancellationToken cancellationToken = default)
    {
        var (pipeline, name) = Split(scheduleId);
        var row = await _store.GetAsync(pipeline, name, cancellationToken);
        var sent = await TrySendAsync(ScheduleIds.InstanceId(scheduleId), new ScheduleControl { Kind = ScheduleControlKind.Delete }, cancellationToken);
        if (row is null && !sent)
        {
            throw new ScheduleNotFoundException(scheduleId);
        }

        await _store.DeleteAsync(pipeline, name, cancellationToken);
    }

    private async Task<ScheduleRecord> SetPausedAsync(string scheduleId, bool paused, CancellationToken cancellationToken)
    {
        var (pipeline, name) = Split(scheduleId);
        var row = await _store.GetAsync(pipeline, name, cancellationToken) ?? throw new ScheduleNotFoundException(scheduleId);

        // The event goes first and the row second: if this process dies in between, the orchestration still
        // applies the request and writes the row itself, where the other order could leave a row showing a
        // request the orchestration never got. Two requests at the same moment may get the same number; the
        // orchestration applies them in arrival order and its row then settles on the last.
        var sequence = row.PauseSequence + 1;
        var control = new ScheduleControl { Kind = paused ? ScheduleControlKind.Pause : ScheduleControlKind.Resume, PauseSequence = sequence };
        if (!await TrySendAsync(ScheduleIds.InstanceId(scheduleId), control, cancellationToken)
            || !await _store.SetPausedAsync(pipeline, name, paused, sequence, cancellationToken))
        {
            throw new ScheduleNotFoundException(scheduleId);
        }

        var record = await _store.GetAsync(pipeline, name, cancellationToken) ?? throw new ScheduleNotFoundException(scheduleId);
        return Fresh(record with { Paused = paused, PauseSequence = Math.Max(record.PauseSequence, sequence) });
    }

    private ScheduleRecord Fresh(ScheduleRecord record) => record with
    {
        NextOccurrences = record.Paused ? [] : ScheduleCalculator.NextOccurrences(record.Definition, _time.GetUtcNow().UtcDateTime, _options.ShownOccurrences),
    };

    private async Task<bool> IsLiveAsync(string instanceId, CancellationToken cancellationToken) =>
        await _client.GetInstanceAsync(instanceId, fetchInputsAndOutputs: false, cancellationToken) is { } instance && !instance.RuntimeStatus.IsTerminal();

    private async Task<bool> TrySendAsync(string instanceId, ScheduleControl control, CancellationToken cancellationToken)
    {
        try
        {
            await _client.RaiseEventAsync(instanceId, ScheduleOrchestration.ControlEvent, control, cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is InstanceNotFoundException or InstanceStateException)
        {
            return false;
        }
    }

    private static (string Pipeline, string Name) Split(string scheduleId) =>
        ScheduleIds.TrySplit(scheduleId, out var pipeline, out var name) ? (pipeline, name) : throw new ScheduleNotFoundException(scheduleId);
}
