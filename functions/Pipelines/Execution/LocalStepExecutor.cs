using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using Serverless.Pipelines.Definition;
using Serverless.Pipelines.Packaging;
using Serverless.Pipelines.Planning;
using Serverless.Storage;

namespace Serverless.Pipelines.Execution;

/// <summary>
/// Runs a step attempt as a child process on this machine, in a clean working directory with its inputs
/// downloaded to <c>inputs/NAME</c>, its outputs collected from <c>outputs/NAME</c> and uploaded to Blob
/// storage, and its stdout/stderr streamed to append blobs. The command runs under <c>setsid /bin/sh -c</c>
/// so that on timeout or cancellation the whole process group (children and grandchildren) is killed.
/// </summary>
/// <remarks>
/// The step sees: <c>SERVERLESS_INPUTS</c>, <c>SERVERLESS_OUTPUTS</c> (directories),
/// <c>SERVERLESS_INPUT_NAME</c> (an artifact's path, or a value's text), <c>SERVERLESS_OUTPUT_NAME</c> (where to
/// write each output), <c>SERVERLESS_PACKAGE</c>, <c>SERVERLESS_BUILD</c>, <c>SERVERLESS_RUN_ID</c>,
/// <c>SERVERLESS_STEP</c>, <c>SERVERLESS_ITERATION</c>, <c>SERVERLESS_ITEM</c>, <c>SERVERLESS_ATTEMPT</c>, and
/// <c>MLFLOW_TRACKING_URI</c>/<c>MLFLOW_RUN_ID</c>/<c>MLFLOW_EXPERIMENT_ID</c> when tracking is given. Value
/// outputs are read from the file <c>$SERVERLESS_OUTPUTS/NAME</c> (text), or else from the key NAME of
/// <c>$SERVERLESS_OUTPUTS/values.json</c>.
/// </remarks>
public sealed class LocalStepExecutor : IStepExecutor
{
    /// <summary>The executor name in handles.</summary>
    public const string ExecutorName = "local";

    private readonly BlobContainerClient _container;
    private readonly BlobServiceClient _blobs;
    private readonly LocalExecutorOptions _options;
    private readonly StepArtifacts _artifacts;
    private readonly ConcurrentDictionary<string, Execution> _executions = new(StringComparer.Ordinal);
    private Task? _containerReady;

    /// <summary>Creates the executor.</summary>
    public LocalStepExecutor(StorageClients storage, LocalExecutorOptions options)
    {
        ArgumentNullException.ThrowIfNull(storage);
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _blobs = storage.Blobs;
        _container = _blobs.GetBlobContainerClient(options.ArtifactContainer);
        _artifacts = new StepArtifacts(_blobs, _container);
    }

    /// <inheritdoc />
    public async Task<StepHandle> StartAsync(StepExecutionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        // Once per process, not once per step: the container is never deleted under a running host.
        var ready = _containerReady;
        if (ready is null || ready.IsFaulted || ready.IsCanceled)
        {
            ready = _containerReady = _container.CreateIfNotExistsAsync(cancellationToken: CancellationToken.None);
        }

        await ready.WaitAsync(cancellationToken);
        var id = Guid.NewGuid().ToString("N");
        var execution = new Execution();
        _executions[id] = execution;
        execution.Task = Task.Run(() => RunAsync(request, execution.Cancel.Token), CancellationToken.None);
        return new StepHandle(ExecutorName, id);
    }

    /// <inheritdoc />
    public Task<StepExecutionResult?> TryGetResultAsync(StepHandle handle, CancellationToken cancellationToken = default)
    {
        var task = Find(handle).Task;
        return Task.FromResult(task.IsCompleted ? task.Result : null);
    }

    /// <inheritdoc />
    public Task<StepExecutionResult> WaitAsync(StepHandle handle, CancellationToken cancellationToken = default) =>
        Find(handle).Task.WaitAsync(cancellationToken);

    /// <inheritdoc />
    public async Task CancelAsync(StepHandle handle, CancellationToken cancellationToken = default)
    {
        var execution = Find(handle);
        if (!execution.Task.IsCompleted)
        {
            await execution.Cancel.CancelAsync();
        }
    }

    /// <summary>Runs an attempt to completion: the convenience form of start + wait.</summary>
    public async Task<StepExecutionResult> RunToCompletionAsync(StepExecutionRequest request, CancellationToken cancellationToken = default)
    {
        var handle = await StartAsync(request, cancellationToken);
        using var registration = cancellationToken.Register(() => _ = CancelAsync(handle, CancellationToken.None));
        return await WaitAsync(handle, CancellationToken.None);
    }

    private Execution Find(StepHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        return handle.Executor == ExecutorName && _executions.TryGetValue(handle.Id, out var e)
            ? e
            : throw new KeyNotFoundException($"no local step execution '{handle.Id}'");
    }

    private async Task<StepExecutionResult> RunAsync(StepExecutionRequest request, CancellationToken cancel)
    {
        var step = request.Step;
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var prefix = request.EffectiveBlobPrefix;
        var work = Path.Combine(_options.WorkRoot, Guid.NewGuid().ToString("N"));
        var inputs = Path.Combine(work, "inputs");
        var outputs = Path.Combine(work, "outputs");
        var stdout = new BlobLogWriter(_container.GetAppendBlobClient(prefix + "/stdout.log"));
        var stderr = new BlobLogWriter(_container.GetAppendBlobClient(prefix + "/stderr.log"));
        TimeSpan? commandStarted = null;
        TimeSpan? commandTime = null;
        StepExecutionResult Result(bool ok, int? exitCode, FailureKind? kind, string? reason,
            IReadOnlyDictionary<string, ArtifactRef>? artifacts = null, IReadOnlyDictionary<string, PipelineValue>? values = null)
        {
            var elapsed = clock.Elapsed;
            return new()
            {
                Key = step.Key,
                Attempt = request.Attempt,
                Succeeded = ok,
                ExitCode = exitCode,
                FailureKind = kind,
                FailureReason = reason,
                Artifacts = artifacts ?? new Dictionary<string, ArtifactRef>(),
                Values = values ?? new Dictionary<string, PipelineValue>(),
                StartedAt = started,
                Duration = elapsed,
                Phases = commandStarted is { } began && commandTime is { } ran ? new StepPhases(began, ran, elapsed - began - ran) : null,
                LogBlobs = [stdout.BlobName, stderr.BlobName],
            };
        }

        try
        {
            Directory.CreateDirectory(inputs);
            Directory.CreateDirectory(outputs);
            // Independent writes and downloads go out together: each is a round trip to storage. The command does
            // not wait for its log blobs (its output is buffered; the first append waits for them instead).
            var logs = Task.WhenAll(stdout.CreateAsync(cancel), stderr.CreateAsync(cancel));
            int exitCode;
            bool timedOut, cancelled;
            try
            {
                var env = await PrepareInputsAsync(request, work, inputs, outputs, cancel);
                commandStarted = clock.Elapsed;
                (exitCode, timedOut, cancelled, commandTime) = await StepProcess.RunAsync(request, work, env, logs, stdout, stderr, _options, cancel);
            }
            finally
            {
                // Whatever happened, the creates must be over before the work directory goes and the result is out.
                await logs.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            await logs;
            var collected = !cancelled && !timedOut && exitCode == 0 ? CollectOutputsAsync(step, outputs, prefix, cancel) : null;
            // The last appends of both logs overlap the output uploads; the result waits for all of them.
            await Task.WhenAll(stdout.FlushAsync(CancellationToken.None), stderr.FlushAsync(CancellationToken.None));
            if (cancelled)
            {
                return Result(false, null, FailureKind.Cancelled, "the step was cancelled and its process group killed");
            }

            if (timedOut)
            {
                return Result(false, null, FailureKind.TimedOut, $"the step exceeded its timeout of {step.Definition.Timeout} and its process group was killed");
            }

            if (exitCode != 0)
            {
                return Result(false, exitCode, FailureKind.Failed, $"the command exited with code {exitCode}");
            }

            var (artifacts, values, problem) = await collected!;
            return problem is null
                ? Result(true, 0, null, null, artifacts, values)
                : Result(false, 0, FailureKind.Failed, problem);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            return Result(false, null, FailureKind.Cancelled, "the step was cancelled before its command finished");
        }
        catch (StepInputException ex)
        {
            return Result(false, null, FailureKind.Failed, ex.Message);
        }
        catch (Exception ex)
        {
            return Result(false, null, FailureKind.Infrastructure, $"{ex.GetType().Name}: {ex.Message}");
        }
        finally
        {
            if (!_options.KeepWorkDirectories)
            {
                TryDelete(work);
            }
        }
    }

    private async Task<Dictionary<string, string>> PrepareInputsAsync(
        StepExecutionRequest request, string work, string inputs, string outputs, CancellationToken cancel)
    {
        var step = request.Step;
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        var values = new Dictionary<string, PipelineValue>(StringComparer.Ordinal);
        var downloads = new List<Task>();
        foreach (var input in step.Inputs)
        {
            var variable = "SERVERLESS_INPUT_" + input.Name.ToUpperInvariant();
            if (input.Kind == OutputKind.Value)
            {
                values[input.Name] = input.Value!;
                env[variable] = input.Value!.ToString();
                continue;
            }

            var target = Path.Combine(inputs, input.Name);
            if (input.Collected)
            {
                Directory.CreateDirectory(target);
                for (var i = 0; i < input.Artifacts.Count; i++)
                {
                    downloads.Add(_artifacts.MaterializeAsync(input.Artifacts[i], Path.Combine(target, i.ToString(System.Globalization.CultureInfo.InvariantCulture)), request.PackageDirectory, input.Name, cancel));
                }
            }
            else
            {
                downloads.Add(_artifacts.MaterializeAsync(input.Artifacts.Single(), target, request.PackageDirectory, input.Name, cancel));
            }

            env[variable] = target;
        }

        // Inputs are independent: fetch them together (each blob is at least one round trip).
        await Task.WhenAll(downloads);

        await File.WriteAllTextAsync(Path.Combine(inputs, "values.json"), JsonOf(values), cancel);
        foreach (var output in step.Definition.Outputs)
        {
            env["SERVERLESS_OUTPUT_" + output.Name.ToUpperInvariant()] = Path.Combine(outputs, output.Name);
        }

        foreach (var (k, v) in step.Env)
        {
            env[k] = v;
        }

        env["SERVERLESS_INPUTS"] = inputs;
        env["SERVERLESS_OUTPUTS"] = outputs;
        env["SERVERLESS_WORK"] = work;
        env["SERVERLESS_PACKAGE"] = Path.GetFullPath(request.PackageDirectory);
        env["SERVERLESS_BUILD"] = Path.Combine(Path.GetFullPath(request.PackageDirectory), PipelinePackager.BuildDirectoryName);
        env["SERVERLESS_RUN_ID"] = request.RunId;
        env["SERVERLESS_STEP"] = step.Key.Step;
        env["SERVERLESS_ITERATION"] = step.Key.Iteration?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
        env["SERVERLESS_ITEM"] = step.Item?.ToString() ?? string.Empty;
        env["SERVERLESS_ATTEMPT"] = request.Attempt.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (request.Tracking is { } tracking)
        {
            env["MLFLOW_TRACKING_URI"] = tracking.TrackingUri;
            env["MLFLOW_RUN_ID"] = tracking.RunId ?? string.Empty;
            env["MLFLOW_EXPERIMENT_ID"] = tracking.ExperimentId ?? string.Empty;
        }

        return env;
    }

    private async Task<(Dictionary<string, ArtifactRef> Artifacts, Dictionary<string, PipelineValue> Values, string? Problem)> CollectOutputsAsync(
        ReadyStep step, string outputs, string prefix, CancellationToken cancel)
    {
        var artifacts = new Dictionary<string, ArtifactRef>(StringComparer.Ordinal);
        var values = new Dictionary<string, PipelineValue>(StringComparer.Ordinal);
        var uploads = new List<(string File, string Blob)>();
        JsonElement? valuesJson = null;
        var valuesFile = Path.Combine(outputs, "values.json");
        if (File.Exists(valuesFile))
        {
            try
            {
                using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(valuesFile, cancel));
                valuesJson = doc.RootElement.Clone();
            }
            catch (JsonException ex)
            {
                return (artifacts, values, $"outputs/values.json is not valid JSON: {ex.Message}");
            }
        }

        foreach (var output in step.Definition.Outputs)
        {
            var path = Path.Combine(outputs, output.Name);
            if (output.Kind == OutputKind.Value)
            {
                PipelineValue? value = null;
                if (File.Exists(path))
                {
                    value = PipelineValue.Parse(await File.ReadAllTextAsync(path, cancel), output.ValueType);
                    if (value is null)
                    {
                        return (artifacts, values, $"value output '{output.Name}' in outputs/{output.Name} is not a valid {output.ValueType.ToString().ToLowerInvariant()}");
                    }
                }
                else if (valuesJson is { ValueKind: JsonValueKind.Object } obj && obj.TryGetProperty(output.Name, out var element))
                {
                    value = PipelineValue.FromJson(element)?.CoerceTo(output.ValueType);
                    if (value is null)
                    {
                        return (artifacts, values, $"value output '{output.Name}' in outputs/values.json is not a valid {output.ValueType.ToString().ToLowerInvariant()}");
                    }
                }
                else
                {
                    return (artifacts, values, $"the step did not report value output '{output.Name}' (write it to $SERVERLESS_OUTPUTS/{output.Name} or to $SERVERLESS_OUTPUTS/values.json)");
                }

                values[output.Name] = value;
                continue;
            }

            var blobName = $"{prefix}/outputs/{output.Name}";
            if (File.Exists(path))
            {
                uploads.Add((path, blobName));
                artifacts[output.Name] = new ArtifactRef($"blob:{_container.Name}/{blobName}", PackageScanner.FileDigest(path));
            }
            else if (Directory.Exists(path))
            {
                var files = PackageScanner.Scan(path, "output", IgnoreRules.None);
                uploads.AddRange(files.Select(f => (Path.Combine(path, f.Path), $"{blobName}/{f.Path}")));
                artifacts[output.Name] = new ArtifactRef($"blob:{_container.Name}/{blobName}", PackageScanner.Digest(files), IsDirectory: true);
            }
            else
            {
                return (artifacts, values, $"the step did not write artifact output '{output.Name}' (expected a file or directory at $SERVERLESS_OUTPUTS/{output.Name})");
            }
        }

        // The outputs are recorded only after every upload finished, so a reader never sees a partial one.
        await _artifacts.UploadAsync(uploads, cancel);
        return (artifacts, values, null);
    }

    private static string JsonOf(Dictionary<string, PipelineValue> values)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            foreach (var (k, v) in values)
            {
                w.WritePropertyName(k);
                v.WriteJson(w);
            }

            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void TryDelete(string dir)
    {
        try
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private sealed class Execution
    {
        public CancellationTokenSource Cancel { get; } = new();

        public Task<StepExecutionResult> Task { get; set; } = null!;
    }
}
