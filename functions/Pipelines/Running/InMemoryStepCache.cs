using System.Collections.Concurrent;
using Serverless.Pipelines.Planning;

namespace Serverless.Pipelines.Running;

/// <summary>A process-local <see cref="IStepCache"/>.</summary>
public sealed class InMemoryStepCache : IStepCache
{
    private readonly ConcurrentDictionary<string, StepResult> _entries = new(StringComparer.Ordinal);

    /// <summary>Number of stored entries.</summary>
    public int Count => _entries.Count;

    /// <inheritdoc />
    public Task<StepResult?> TryGetAsync(string key, CancellationToken cancellationToken = default) =>
        Task.FromResult(_entries.TryGetValue(key, out var r) ? r : null);

    /// <inheritdoc />
    public Task PutAsync(string key, StepResult result, CancellationToken cancellationToken = default)
    {
        _entries[key] = result;
        return Task.CompletedTask;
    }
}
