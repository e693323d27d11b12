using Serverless.Pipelines.Planning;

namespace Serverless.Pipelines.Running;

/// <summary>Successful step results by cache key (see <see cref="StepCacheKey"/>).</summary>
public interface IStepCache
{
    /// <summary>The result stored under <paramref name="key"/>, or null.</summary>
    Task<StepResult?> TryGetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Stores a successful result.</summary>
    Task PutAsync(string key, StepResult result, CancellationToken cancellationToken = default);
}
