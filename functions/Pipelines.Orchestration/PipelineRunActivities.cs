using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
using Serverless.Orchestration;
using Serverless.Pipelines.Definition;
using Serverless.Pipelines.Packaging;
using Serverless.Pipelines.Planning;
using Serverless.Pipelines.Running;
using Serverless.Tracking;
using Serverless.Tracking.Client;

namespace Serverless.Pipelines.Orchestration;

/// <summary>
/// The run orchestration's activities: prepare (definition text, parent tracking run), begin a step (cache
/// lookup, child tracking run), record a finished step (tracking status, cache entry) and finish the run. All are
/// idempotent or harmless when repeated, as activities run at least once.
/// </summary>
internal sealed class PipelineRunActivities(
    PackageCache packages, IStepCache cache, BlobContainerClient control, PipelineRunOptions options,
    TrackingService? tracking, IArtifactStore? artifacts)
{
    private OrchestrationRegistry? _registry;
    private const string ArtifactScheme = "mlflow-artifacts:/";
    private Task? _trackingReady;

    public async Task<PreparedRun> PrepareAsync(PrepareRunRequest? request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var yaml = await packages.Packager.ReadDefinitionAsync(request.Pipeline, request.Version)
            ?? throw new InvalidOperationException($"package {request.Pipeline}@{request.Version} is not published");
        var manifest = await packages.GetManifestAsync(request.Pipeline, request.Version);
        var prepared = new PreparedRun
        {
            DefinitionYaml = yaml,
            DefinitionFile = $"{request.Pipeline}@{request.Version}/{PipelinePackager.DefinitionFileName}",
            CodeDigest = manifest.CodeDigest,
            TrackingUri = options.TrackingUri,
            TimeoutGrace = options.TimeoutGrace,
            RunEndActivities = RunEndActivities(),
        };
        if (tracking is null)
        {
            return prepared;
        }

        // The tables exist once the MLflow API has served a request; a run may come first.
        if (_trackingReady is null || _trackingReady.IsFaulted)
        {
            _trackingReady = tracking.Store.InitializeAsync();
        }

        await _trackingReady;

        // A redelivered prepare finds the parent run it created before instead of creating a second one.
        var marker = control.GetBlobClient($"runs/{request.RunId}/tracking.json");
        await control.CreateIfNotExistsAsync();
        if (await marker.ExistsAsync())
        {
            var known = (await marker.DownloadContentAsync()).Value.Content.ToObjectFromJson<TrackingIds>();
            if (known is not null)
            {
                return prepared with { TrackingRunId = known.RunId, ExperimentId = known.ExperimentId };
            }
        }

        var experimentId = await ExperimentIdAsync(request.ExperimentName ?? request.Pipeline);
        var tags = new List<Tag>
        {
            new("serverless.run_id", request.RunId),
            new("serverless.pipeline", request.Pipeline),
            new("serverless.pipeline_version", request.Version),
            new("serverless.definition_digest", manifest.DefinitionDigest),
            new("serverless.code_digest", manifest.CodeDigest),
        };
        if (manifest.GitCommit is { } commit)
        {
            tags.Add(new Tag("mlflow.source.git.commit", commit));
            tags.Add(new Tag("serverless.git_dirty", manifest.GitDirty ? "true" : "false"));
        }

        if (request.RerunOf is { } rerunOf)
        {
            tags.Add(new Tag("serverless.rerun_of", rerunOf));
        }

        // Input data: a string parameter naming a file of the package is recorded with that file's digest.
        foreach (var (name, value) in request.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (value.Type == PipelineType.String && manifest.DigestOf(value.AsString()) is { } digest)
            {
                tags.Add(new Tag($"serverless.data.{name}", digest));
            }
        }

        var run = await tracking.CreateRunAsync(experimentId, runName: request.RunId, tags: tags);
        var parameters = request.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => new Param(p.Key, Truncate(p.Value.ToString(), 6000))).ToList();
        for (var i = 0; i < parameters.Count; i += 100)
        {
            await tracking.LogBatchAsync(run.Info.RunId, [], parameters.Skip(i).Take(100).ToList(), []);
        }

        if (artifacts is not null && run.Info.ArtifactUri is { } uri && uri.StartsWith(ArtifactScheme, StringComparison.Ordinal))
        {
            var root = uri[ArtifactScheme.Length..].TrimEnd('/');
            await artifacts.InitializeAsync();
            await Upload(artifacts, $"{root}/pipeline/pipeline.yaml", yaml, "application/x-yaml");
            var resolved = JsonSerializer.Serialize(request.Parameters, DataConverter.Options);
            await Upload(artifacts, $"{root}/pipeline/parameters.json", resolved, "application/json");
        }

        await marker.UploadAsync(BinaryData.FromObjectAsJson(new TrackingIds(run.Info.RunId, experimentId)), overwrite: true);
        return prepared with { TrackingRunId = run.Info.RunId, ExperimentId = experimentId };
    }

    /// <summary>The registry the module was added to; other modules (Batch) may register into it afterwards.</summary>
    public void UseRegistry(OrchestrationRegistry registry) => _registry = registry;

    // Which compute targets registered a run-end activity on this host, asked when a run starts (registration is
    // over by then). The answer is recorded in the run's history with the prepare result, so replays agree.
    private Dictionary<ComputeTarget, string> RunEndActivities()
    {
        var found = new Dictionary<ComputeTarget, string>();
        if (_registry is not { } registry)
        {
            return found;
        }

        foreach (var target in Enum.GetValues<ComputeTarget>())
        {
            if (Attempts.StepAttempts.RunEndActivityFor(target) is { } name && registry.TryGetActivity(name, out _))
            {
                found[target] = name;
            }
        }

        return found;
    }

    public async Task<BeginStepResult> BeginStepAsync(BeginStepRequest? request)
    {
        ArgumentNullException.ThrowIfNull(request);
        // Closing the previous steps and beginning this one are independent writes: done concurrently.
        var finishes = (request.Finished ?? []).Select(StepFinishedAsync).ToList();
        var begin = BeginOneAsync(request);
        await Task.WhenAll(finishes);
        return await begin;
    }

    private async Task<BeginStepResult> BeginOneAsync(BeginStepRequest request)
    {
        var attempt = request.Attempt;
        string? key = null;
        if (request.UseCache)
        {
            var manifest = await packages.GetManifestAsync(attempt.Pipeline, attempt.PackageVersion);
            var definition = await packages.GetDefinitionAsync(attempt.Pipeline, attempt.PackageVersion);
            var step = StepCacheKey.WithInputDigests(attempt.ToReadyStep(definition), a => DigestOf(a, manifest) ?? string.Empty);
            if (step.Inputs.SelectMany(i => i.Artifacts).All(a => a.Digest is { Length: > 0 }))
            {
                key = StepCacheKey.Compute(step, manifest.CodeDigest);
                if (!request.SkipLookup && await cache.TryGetAsync(key) is { } hit)
                {
                    return new BeginStepResult(key, hit, null);
                }
            }
        }

        string? trackingRunId = null;
        if (tracking is not null && request.ParentTrackingRunId is { } parent)
        {
            var run = await tracking.CreateRunAsync(request.ExperimentId, runName: attempt.StepKey, runId: StepTrackingRuns.IdFor(attempt.RunId, attempt.StepKey), tags:
            [
                new Tag("mlflow.parentRunId", parent),
                new Tag("serverless.run_id", attempt.RunId),
                new Tag("serverless.step", attempt.StepKey),
            ]);
            trackingRunId = run.Info.RunId;
        }

        return new BeginStepResult(key, null, trackingRunId);
    }

    public async Task<bool> StepFinishedAsync(StepFinishedRequest? request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.CacheKey is { } key && request.Status == StepStatus.Succeeded)
        {
            await cache.PutAsync(key, request.Result);
        }

        if (tracking is not null && request.TrackingRunId is { } runId)
        {
            var status = request.Status switch
            {
                StepStatus.Succeeded => "FINISHED",
                StepStatus.Cancelled => "KILLED",
                _ => "FAILED",
            };
            await tracking.UpdateRunAsync(runId, status, MlflowClient.NowMilliseconds(), null);
        }

        return true;
    }

    public async Task<bool> FinishAsync(FinishRunRequest? request)
    {
        ArgumentNullException.ThrowIfNull(request);
        // Children are closed before the parent, so a reader never sees a finished run with running steps.
        await Task.WhenAll((request.Finished ?? []).Select(StepFinishedAsync));
        if (tracking is not null && request.TrackingRunId is { } runId)
        {
            var status = request.Outcome switch
            {
                RunOutcome.Succeeded => "FINISHED",
                RunOutcome.Cancelled => "KILLED",
                _ => "FAILED",
            };
            await tracking.UpdateRunAsync(runId, status, MlflowClient.NowMilliseconds(), null);
        }

        return true;
    }

    private async Task<string> ExperimentIdAsync(string name)
    {
        try
        {
            return (await tracking!.GetExperimentByNameAsync(name)).ExperimentId;
        }
        catch (TrackingException)
        {
            try
            {
                return await tracking!.CreateExperimentAsync(name);
            }
            catch (TrackingException)
            {
                // Another run created it at the same moment.
                return (await tracking!.GetExperimentByNameAsync(name)).ExperimentId;
            }
        }
    }

    private static string? DigestOf(ArtifactRef artifact, PackageManifest manifest)
    {
        if (artifact.Digest is { Length: > 0 } known)
        {
            return known;
        }

        if (artifact.Uri.StartsWith("package:", StringComparison.Ordinal))
        {
            return manifest.DigestOf(artifact.Uri["package:".Length..]);
        }

        if (artifact.Uri.StartsWith("file:", StringComparison.Ordinal) && File.Exists(artifact.Uri["file:".Length..]))
        {
            return PackageScanner.FileDigest(artifact.Uri["file:".Length..]);
        }

        return null;
    }

    private static async Task Upload(IArtifactStore store, string path, string text, string contentType)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
        await store.UploadAsync(path, stream, contentType);
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];

    private sealed record TrackingIds(string RunId, string ExperimentId);
}
