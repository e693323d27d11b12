using System.Globalization;
using Serverless.Pipelines.Attempts;
using Serverless.Pipelines.Definition;
using Serverless.Pipelines.Planning;

namespace Serverless.Compute.AzureBatch.Steps;

/// <summary>
/// Turns a step attempt into the Batch task that runs it: pool, job and task ids, image, inputs as resource
/// files, outputs and logs as uploads, environment and wall-clock limit. Pure, so the same attempt always gives
/// the same task (the idempotent create relies on that).
/// </summary>
public static class BatchStepPlanner
{
    /// <summary>Where the attempt runs and where its files go.</summary>
    /// <exception cref="BatchStepConfigurationException">No pool can be chosen for the step.</exception>
    public static BatchStepTarget Target(StepAttemptInput attempt, BatchOptions options)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        ArgumentNullException.ThrowIfNull(options);
        var pool = PoolFor(attempt.Compute.Resources, options)
            ?? throw new BatchStepConfigurationException(
                $"step '{attempt.StepKey}' runs on Batch but no pool applies: set compute.resources.pool in the pipeline, or "
                + $"Serverless:Batch:{(attempt.Compute.Resources.Gpu > 0 ? nameof(BatchOptions.GpuPoolId) : nameof(BatchOptions.CpuPoolId))} in the app settings");
        return new BatchStepTarget(
            pool,
            BatchIds.ForJob(attempt.RunId, pool),
            BatchIds.ForTask(attempt.StepKey, attempt.Attempt),
            options.ArtifactContainer,
            attempt.BlobPrefix.TrimEnd('/'));
    }

    /// <summary>
    /// The pool a step's resources ask for: <c>resources.pool</c>, else the GPU pool when a GPU is requested,
    /// else the CPU pool; null when the needed one is not configured.
    /// </summary>
    public static string? PoolFor(ResourceRequest resources, BatchOptions options)
    {
        ArgumentNullException.ThrowIfNull(resources);
        ArgumentNullException.ThrowIfNull(options);
        var pool = resources.Pool is { Length: > 0 } named ? named
            : resources.Gpu > 0 ? options.GpuPoolId
            : options.CpuPoolId;
        return string.IsNullOrWhiteSpace(pool) ? null : pool;
    }

    /// <summary>Every pool the given steps may use, so the run's end can close each of the run's jobs.</summary>
    public static IReadOnlyList<string> PoolsFor(IEnumerable<ComputeSpec> steps, BatchOptions options)
    {
        ArgumentNullException.ThrowIfNull(steps);
        return steps.Where(s => s.Target == ComputeTarget.Batch)
            .Select(s => PoolFor(s.Resources, options))
            .OfType<string>()
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
    }

    /// <summary>The task request for <see cref="BatchStepTasks.Create"/>.</summary>
    /// <param name="attempt">The attempt.</param>
    /// <param name="target">From <see cref="Target"/>.</param>
    /// <param name="options">Registry, identity, package container, retention.</param>
    /// <param name="blobEndpoint">The storage account's blob endpoint as Batch nodes reach it.</param>
    /// <exception cref="BatchStepConfigurationException">The step has no image or an input Batch cannot download.</exception>
    public static BatchStepRequest Request(StepAttemptInput attempt, BatchStepTarget target, BatchOptions options, Uri blobEndpoint)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(blobEndpoint);
        var image = attempt.Compute.Resources.Image is { Length: > 0 } own ? own
            : attempt.Environment.Image is { Length: > 0 } shared ? shared
            : throw new BatchStepConfigurationException(
                $"step '{attempt.StepKey}' runs on Batch but has no container image: set compute.resources.image or environment.image");
        var environment = new Dictionary<string, string>(attempt.Env, StringComparer.Ordinal);
        var inputs = new List<BatchStepInput>();
        foreach (var input in attempt.Inputs)
        {
            if (input.Kind == OutputKind.Value)
            {
                // The local executor passes a value input as its text in SERVERLESS_INPUT_NAME; so does Batch.
                environment["SERVERLESS_INPUT_" + input.Name.ToUpperInvariant()] = input.Value?.ToString() ?? string.Empty;
                continue;
            }

            for (var i = 0; i < input.Artifacts.Count; i++)
            {
                inputs.Add(ToInput(attempt, input.Name, input.Artifacts[i], input.Collected ? i : null, options, blobEndpoint));
            }
        }

        environment["SERVERLESS_RUN_ID"] = attempt.RunId;
        environment["SERVERLESS_STEP"] = attempt.Key.Step;
        environment["SERVERLESS_ITERATION"] = attempt.Key.Iteration?.ToString(CultureInfo.InvariantCulture) ?? string.Empty;
        environment["SERVERLESS_ITEM"] = attempt.Item?.ToString() ?? string.Empty;
        environment["SERVERLESS_ATTEMPT"] = attempt.Attempt.ToString(CultureInfo.InvariantCulture);
        if (attempt.Tracking is { } tracking)
        {
            environment["MLFLOW_TRACKING_URI"] = tracking.TrackingUri;
            environment["MLFLOW_RUN_ID"] = tracking.RunId ?? string.Empty;
            environment["MLFLOW_EXPERIMENT_ID"] = tracking.ExperimentId ?? string.Empty;
        }

        return new BatchStepRequest
        {
            TaskId = target.TaskId,
            Image = image,
            Command = attempt.Command,
            ContainerRunOptions = string.IsNullOrWhiteSpace(options.ContainerRunOptions) ? null : options.ContainerRunOptions,
            RegistryServer = options.RegistryServer is { Length: > 0 } registry
                && image.StartsWith(registry.TrimEnd('/') + "/", StringComparison.OrdinalIgnoreCase) ? registry : null,
            IdentityResourceId = options.PoolIdentityResourceId,
            Inputs = inputs,
            OutputNames = attempt.Outputs.Select(o => o.Name).ToList(),
            OutputContainerUrl = ContainerUrl(blobEndpoint, target.ArtifactContainer),
            OutputPath = target.BlobPrefix,
            Environment = environment,
            Timeout = attempt.Timeout,
            RetentionTime = options.TaskRetention,
        };
    }

    /// <summary>The URL of a container under a blob endpoint (which may carry an account path, as Azurite's does).</summary>
    public static string ContainerUrl(Uri blobEndpoint, string container)
    {
        ArgumentNullException.ThrowIfNull(blobEndpoint);
        return blobEndpoint.AbsoluteUri.TrimEnd('/') + "/" + Uri.EscapeDataString(container);
    }

    private static BatchStepInput ToInput(StepAttemptInput attempt, string name, ArtifactRef artifact, int? index, BatchOptions options, Uri endpoint)
    {
        var (container, path) = Locate(attempt, name, artifact.Uri, options);
        return artifact.IsDirectory
            ? new BatchStepInput { Name = name, Index = index, ContainerUrl = ContainerUrl(endpoint, container), BlobPrefix = path.TrimEnd('/') + "/" }
            : new BatchStepInput { Name = name, Index = index, BlobUrl = ContainerUrl(endpoint, container) + "/" + EscapePath(path) };
    }

    private static (string Container, string Path) Locate(StepAttemptInput attempt, string name, string uri, BatchOptions options)
    {
        if (uri.StartsWith("blob:", StringComparison.Ordinal))
        {
            var rest = uri["blob:".Length..];
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            if (slash > 0 && slash < rest.Length - 1)
            {
                return (rest[..slash], rest[(slash + 1)..]);
            }
        }
        else if (uri.StartsWith("package:", StringComparison.Ordinal))
        {
            // Packages keep source files under src/ and build outputs (.build/ in a fetched package) under build/.
            var path = uri["package:".Length..].TrimStart('/');
            var inPackage = path.StartsWith(".build/", StringComparison.Ordinal) ? "build/" + path[".build/".Length..] : "src/" + path;
            if (!path.Split('/').Contains(".."))
            {
                return (options.PackageContainer, $"{attempt.Pipeline}/{attempt.PackageVersion}/{inPackage}");
            }
        }
        else if (uri.StartsWith("file:", StringComparison.Ordinal))
        {
            throw new BatchStepConfigurationException(
                $"step '{attempt.StepKey}' input '{name}': '{uri}' is a file on the orchestrating machine, which a Batch node cannot read; publish it with the package or produce it in an earlier step");
        }

        throw new BatchStepConfigurationException(
            $"step '{attempt.StepKey}' input '{name}': '{uri}' is not blob:CONTAINER/PATH or package:PATH");
    }

    private static string EscapePath(string path) => string.Join('/', path.Split('/').Select(Uri.EscapeDataString));
}
