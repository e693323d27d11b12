using System.Diagnostics;
using Serverless.Pipelines.Definition;
using Serverless.Pipelines.Execution;
using Serverless.Pipelines.Packaging;
using Serverless.Pipelines.Parsing;
using Serverless.Pipelines.Planning;

namespace Serverless.Pipelines.Running;

/// <summary>
/// Runs a whole pipeline in this process: publish (a no-op when unchanged), fetch, then plan → start →
/// record until the planner says the run is finished, with retries, caching and cancellation. Not durable:
/// a crash loses the run. It is the reference loop the durable orchestration implements on the engine, and
/// what tests, benchmarks and a developer's quick local run use.
/// </summary>
public sealed class LocalPipelineRunner
{
    private readonly PipelinePackager _packager;
    private readonly IStepExecutor _executor;
    private readonly IStepCache? _cache;
    private readonly string _packageRoot;

    /// <summary>Creates the runner.</summary>
    /// <param name="packager">Publishes and fetches packages.</param>
    /// <param name="executor">Runs step attempts.</param>
    /// <param name="packageRoot">Where fetched packages are kept, one directory per version.</param>
    /// <param name="cache">Step cache, or null to run every step.</param>
    public LocalPipelineRunner(PipelinePackager packager, IStepExecutor executor, string packageRoot, IStepCache? cache = null)
    {
        _packager = packager ?? throw new ArgumentNullException(nameof(packager));
        _executor = executor ?? throw new ArgumentNullException(nameof(executor));
        _packageRoot = packageRoot ?? throw new ArgumentNullException(nameof(packageRoot));
        _cache = cache;
    }

    /// <summary>Publishes <paramref name="pipelineFolder"/> if it changed, then runs it.</summary>
    /// <param name="pipelineFolder">Folder with <c>pipeline.yaml</c>.</param>
    /// <param name="parameters">Run parameters (defaults fill the rest).</param>
    /// <param name="tracking">The tracking run for each step, or null for none.</param>
    /// <param name="cancellationToken">Cancels the run: running steps are killed, nothing new starts.</param>
    /// <exception cref="PipelineValidationException">The pipeline is invalid; nothing ran.</exception>
    public async Task<LocalRunResult> RunAsync(
        string pipelineFolder,
        IReadOnlyDictionary<string, PipelineValue>? parameters = null,
        Func<StepKey, TrackingContext?>? tracking = null,
        CancellationToken cancellationToken = default)
    {
        var published = await _packager.PublishAsync(pipelineFolder, cancellationToken);
        var manifest = published.Manifest;
        var packageDir = Path.Combine(_packageRoot, manifest.Pipeline, manifest.Version);
        await _packager.FetchAsync(manifest.Pipeline, manifest.Version, packageDir, cancellationToken);
        var definition = PipelineParser.Load(Path.Combine(packageDir, PipelinePackager.DefinitionFileName),
            $"{manifest.Pipeline}@{manifest.Version}/{PipelinePackager.DefinitionFileName}");
        var planner = new PipelinePlanner(definition, ParameterResolver.Resolve(definition, parameters));
        var runId = $"{manifest.Pipeline}-{DateTimeOffset.UtcNow:yyyyMMddHHmmss}-{Guid.NewGuid().ToString("N")[..6]}";

        var clock = Stopwatch.StartNew();
        var state = RunState.Empty;
        var attempts = new List<StepExecutionResult>();
        var cacheHits = new List<StepKey>();
        var running = new Dictionary<StepKey, (Task<StepExecutionResult> Task, StepHandle? Handle, ReadyStep Step, string? CacheKey)>();
        var attemptCounts = new Dictionary<StepKey, int>();

        while (true)
        {
            if (cancellationToken.IsCancellationRequested && !state.CancelRequested)
            {
                state = state with { CancelRequested = true };
                foreach (var r in running.Values.Where(r => r.Handle is not null))
                {
                    await _executor.CancelAsync(r.Handle!, CancellationToken.None);
                }
            }

            var plan = planner.Plan(state);
            if (plan.IsFinished)
            {
                return new LocalRunResult
                {
                    RunId = runId,
                    Outcome = plan.Outcome,
                    Package = manifest,
                    FinalPlan = plan,
                    State = state,
                    Attempts = attempts,
                    CacheHits = cacheHits,
                    Duration = clock.Elapsed,
                };
            }

            foreach (var ready in plan.Ready)
            {
                var step = StepCacheKey.WithInputDigests(ready, a => DigestOf(a, manifest) ?? string.Empty);
                string? key = null;
                if (ready.Definition.Cache && _cache is not null && step.Inputs.SelectMany(i => i.Artifacts).All(a => a.Digest is { Length: > 0 }))
                {
                    key = StepCacheKey.Compute(step, manifest.CodeDigest);
                    if (await _cache.TryGetAsync(key, cancellationToken) is { } hit)
                    {
                        state = state.WithResult(ready.Key, hit with { Status = StepStatus.Cached });
                        cacheHits.Add(ready.Key);
                        continue;
                    }
                }

                attemptCounts[ready.Key] = 1;
                running[ready.Key] = await StartAsync(ready, 1, runId, packageDir, tracking, key, cancellationToken);
                state = state.WithRunning(ready.Key);
            }

            if (running.Count == 0)
            {
                // Only cache hits or skips were decided this round; plan again.
                continue;
            }

            var finished = await Task.WhenAny(running.Values.Select(r => r.Task));
            var (stepKey, entry) = running.First(kv => kv.Value.Task == finished);
            var result = await finished;
            attempts.Add(result);
            running.Remove(stepKey);
            if (!result.Succeeded && !state.CancelRequested)
            {
                var decision = RetryDecider.Decide(entry.Step.Definition.Retries, attemptCounts[stepKey], result.FailureKind ?? FailureKind.Failed);
                if (decision.Retry)
                {
                    attemptCounts[stepKey] = decision.NextAttempt;
                    running[stepKey] = await StartAsync(entry.Step, decision.NextAttempt, runId, packageDir, tracking, entry.CacheKey, cancellationToken, decision.Delay);
                    continue;
                }
            }

            var stepResult = result.ToStepResult();
            if (result.Succeeded && entry.CacheKey is not null)
            {
                await _cache!.PutAsync(entry.CacheKey, stepResult, CancellationToken.None);
            }

            state = state.WithResult(stepKey, stepResult);
        }
    }

    private async Task<(Task<StepExecutionResult>, StepHandle?, ReadyStep, string?)> StartAsync(
        ReadyStep step, int attempt, string runId, string packageDir, Func<StepKey, TrackingContext?>? tracking,
        string? cacheKey, CancellationToken cancellationToken, TimeSpan delay = default)
    {
        var request = new StepExecutionRequest
        {
            RunId = runId,
            Step = step,
            Attempt = attempt,
            PackageDirectory = packageDir,
            Tracking = tracking?.Invoke(step.Key),
        };
        if (delay > TimeSpan.Zero)
        {
            // The backoff runs in the background so other steps keep being scheduled meanwhile.
            var delayed = Task.Run(async () =>
            {
                await Task.Delay(delay, CancellationToken.None);
                var h = await _executor.StartAsync(request, CancellationToken.None);
                return await _executor.WaitAsync(h, CancellationToken.None);
            }, CancellationToken.None);
            return (delayed, null, step, cacheKey);
        }

        var handle = await _executor.StartAsync(request, cancellationToken);
        return (_executor.WaitAsync(handle, CancellationToken.None), handle, step, cacheKey);
    }

    private static string? DigestOf(ArtifactRef artifact, PackageManifest manifest)
    {
        if (artifact.Uri.StartsWith("package:", StringComparison.Ordinal))
        {
            return manifest.DigestOf(artifact.Uri["package:".Length..]);
        }

        if (artifact.Uri.StartsWith("file:", StringComparison.Ordinal) && File.Exists(artifact.Uri["file:".Length..]))
        {
            return PackageScanner.FileDigest(artifact.Uri["file:".Length..]);
        }

        // Blob inputs without a recorded digest are not cached: hashing them would mean downloading them here.
        return null;
    }
}
