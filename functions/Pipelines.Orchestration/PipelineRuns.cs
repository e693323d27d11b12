using System.Globalization;
using System.Text.RegularExpressions;
using Serverless.Orchestration;
using Serverless.Orchestration.AzureStorage;
using Serverless.Pipelines.Attempts;
using Serverless.Pipelines.Definition;
using Serverless.Pipelines.Packaging;
using Serverless.Pipelines.Planning;

namespace Serverless.Pipelines.Orchestration;

/// <summary>
/// Starting, reading, cancelling and re-running pipeline runs: what the HTTP API, the scheduler and the CLI
/// need, over the engine's client. Errors are <see cref="PipelineRunException"/>s naming the bad field.
/// </summary>
public sealed partial class PipelineRuns
{
    private readonly OrchestrationClient _client;
    private readonly PackageCache _packages;
    private readonly PipelineRunOptions _options;

    /// <summary>Creates the service.</summary>
    public PipelineRuns(OrchestrationClient client, PackageCache packages, PipelineRunOptions options)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _packages = packages ?? throw new ArgumentNullException(nameof(packages));
        _options = options ?? throw new ArgumentNullException(nameof(options));
    }

    /// <summary>The package cache (published versions and their definitions).</summary>
    public PackageCache Packages => _packages;

    /// <summary>Starts a run of <paramref name="pipeline"/>.</summary>
    /// <exception cref="PipelineRunException">Unknown pipeline or version (NOT_FOUND), bad parameters or run id (INVALID_ARGUMENT), run id in use (CONFLICT).</exception>
    public async Task<PipelineRunStarted> StartAsync(string pipeline, PipelineRunRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        CheckName(pipeline, "pipeline");
        var runId = request.RunId ?? NewRunId(pipeline);
        CheckRunId(runId);
        var version = await ResolveVersionAsync(pipeline, request.Version, cancellationToken);
        var definition = await _packages.GetDefinitionAsync(pipeline, version, cancellationToken);
        var supplied = new Dictionary<string, PipelineValue>(StringComparer.Ordinal);
        foreach (var (name, json) in request.Parameters ?? new Dictionary<string, System.Text.Json.JsonElement>())
        {
            supplied[name] = PipelineValue.FromJson(json)
                ?? throw new PipelineRunException(PipelineRunException.InvalidArgument,
                    $"parameters.{name}: must be a string, number, bool or list, not {json.ValueKind.ToString().ToLowerInvariant()}");
        }

        IReadOnlyDictionary<string, PipelineValue> parameters;
        try
        {
            parameters = ParameterResolver.Resolve(definition, supplied);
        }
        catch (ArgumentException ex)
        {
            throw new PipelineRunException(PipelineRunException.InvalidArgument, ex.Message.Replace(" (Parameter 'supplied')", string.Empty, StringComparison.Ordinal));
        }

        return await StartInputAsync(new PipelineRunInput
        {
            RunId = runId,
            Pipeline = pipeline,
            Version = version,
            Parameters = parameters,
            ExperimentName = request.ExperimentName,
            Cache = request.Cache ?? true,
            Revision = PipelineRunInput.CurrentRevision,
        }, cancellationToken);
    }

    /// <summary>Starts a run again: <c>all</c> steps, or only the <c>failed</c> ones reusing the succeeded steps' outputs.</summary>
    /// <exception cref="PipelineRunException">Unknown run, bad mode or run id, or a <c>failed</c> re-run of an unfinished run.</exception>
    public async Task<PipelineRunStarted> RerunAsync(string runId, string? mode, string? newRunId, CancellationToken cancellationToken = default)
    {
        mode ??= "all";
        if (mode is not ("all" or "failed"))
        {
            throw new PipelineRunException(PipelineRunException.InvalidArgument, $"mode: must be 'all' or 'failed', not '{mode}'");
        }

        var meta = await GetRunInstanceAsync(runId, cancellationToken);
        var input = DataConverter.Deserialize<PipelineRunInput>(meta.SerializedInput)
            ?? throw new PipelineRunException(PipelineRunException.NotFound, $"run '{runId}' has no input");
        var id = newRunId ?? NewRunId(input.Pipeline);
        CheckRunId(id);
        var reuse = new Dictionary<string, StepResult>(StringComparer.Ordinal);
        if (mode == "failed")
        {
            if (!meta.RuntimeStatus.IsTerminal())
            {
                throw new PipelineRunException(PipelineRunException.Conflict, $"run '{runId}' has not finished; re-running its failed steps needs its final results");
            }

            var output = meta.ReadOutputAs<PipelineRunOutput>();
            foreach (var (key, result) in output?.Results ?? new Dictionary<string, StepResult>())
            {
                if (result.Status is StepStatus.Succeeded or StepStatus.Cached)
                {
                    reuse[key] = result;
                }
            }
        }

        return await StartInputAsync(input with { RunId = id, Reuse = reuse, RerunOf = runId, Revision = PipelineRunInput.CurrentRevision }, cancellationToken);
    }

    /// <summary>Asks a run to stop: running steps are killed, nothing new starts.</summary>
    /// <exception cref="PipelineRunException">Unknown run (NOT_FOUND) or already finished (CONFLICT).</exception>
    public async Task CancelAsync(string runId, CancellationToken cancellationToken = default)
    {
        var meta = await GetRunInstanceAsync(runId, cancellationToken);
        if (meta.RuntimeStatus.IsTerminal())
        {
            throw new PipelineRunException(PipelineRunException.Conflict, $"run '{runId}' has already finished ({StatusOf(meta)})");
        }

        await _client.RaiseEventAsync(runId, PipelineRunNames.CancelEvent, null, cancellationToken);
    }

    /// <summary>A run with its parameters and steps.</summary>
    /// <exception cref="PipelineRunException">Unknown run (NOT_FOUND).</exception>
    public async Task<PipelineRunInfo> GetAsync(string runId, CancellationToken cancellationToken = default) =>
        ToInfo(await GetRunInstanceAsync(runId, cancellationToken), detailed: true);

    /// <summary>One page of runs, newest engine order, optionally filtered by pipeline and status.</summary>
    public async Task<(IReadOnlyList<PipelineRunInfo> Runs, string? ContinuationToken)> ListAsync(
        string? pipeline, string? status, int top, string? continuationToken, CancellationToken cancellationToken = default)
    {
        if (status is not null && status is not ("Pending" or "Running" or "Succeeded" or "Failed" or "Cancelled"))
        {
            throw new PipelineRunException(PipelineRunException.InvalidArgument, $"status: must be Pending, Running, Succeeded, Failed or Cancelled, not '{status}'");
        }

        if (top is < 1 or > 1000)
        {
            throw new PipelineRunException(PipelineRunException.InvalidArgument, $"top: must be between 1 and 1000, not {top}");
        }

        var page = await _client.QueryInstancesAsync(new OrchestrationQuery
        {
            PageSize = top,
            ContinuationToken = continuationToken,
            FetchInputsAndOutputs = true,
        }, cancellationToken);
        var runs = page.Instances
            .Where(i => string.Equals(i.Name, PipelineRunNames.RunOrchestration, StringComparison.OrdinalIgnoreCase))
            .Select(i => ToInfo(i, detailed: false))
            .Where(r => (pipeline is null || r.Pipeline == pipeline) && (status is null || r.Status == status))
            .ToList();
        return (runs, page.ContinuationToken);
    }

    /// <summary>
    /// The version a run without one uses: locally, the source folder <c>SourceRoot/NAME</c> published (a no-op
    /// when unchanged); otherwise the latest published version.
    /// </summary>
    public async Task<string> ResolveVersionAsync(string pipeline, string? version, CancellationToken cancellationToken = default)
    {
        if (version is not null)
        {
            if (await _packages.Packager.GetAsync(pipeline, version, cancellationToken) is null)
            {
                throw new PipelineRunException(PipelineRunException.NotFound, $"version: pipeline '{pipeline}' has no published version '{version}'");
            }

            return version;
        }

        if (_options.SourceRoot is { } root && File.Exists(Path.Combine(root, pipeline, PipelinePackager.DefinitionFileName)))
        {
            return (await PublishFolderAsync(Path.Combine(root, pipeline), pipeline, uploadRoot: null, cancellationToken)).Manifest.Version;
        }

        var versions = await _packages.Packager.ListAsync(pipeline, cancellationToken);
        return versions.Count > 0
            ? versions[0].Version
            : throw new PipelineRunException(PipelineRunException.NotFound, $"pipeline '{pipeline}' is not published");
    }

    /// <summary>Publishes a pipeline folder, mapping invalid definitions and failed builds to INVALID_ARGUMENT.</summary>
    /// <param name="folder">The pipeline folder.</param>
    /// <param name="expectedName">The name the pipeline must have.</param>
    /// <param name="uploadRoot">
    /// For an uploaded zip, where it was extracted: build inputs must resolve inside it, so an upload cannot make
    /// the server digest (or its build read) files of the server's own that the upload did not bring.
    /// </param>
    /// <param name="cancellationToken">Cancels the publish.</param>
    public async Task<PublishResult> PublishFolderAsync(string folder, string expectedName, string? uploadRoot, CancellationToken cancellationToken = default)
    {
        var parsed = Parsing.PipelineParser.ParseFile(Path.Combine(folder, PipelinePackager.DefinitionFileName), PipelinePackager.DefinitionFileName);
        if (!parsed.IsValid)
        {
            throw new PipelineRunException(PipelineRunException.InvalidArgument,
                $"{PipelinePackager.DefinitionFileName} has {parsed.Diagnostics.Count} problem(s)", Diagnostics(parsed.Diagnostics));
        }

        if (parsed.Definition!.Name != expectedName)
        {
            throw new PipelineRunException(PipelineRunException.InvalidArgument,
                $"{PipelinePackager.DefinitionFileName}: the pipeline is named '{parsed.Definition.Name}', but was published as '{expectedName}'");
        }

        if (uploadRoot is not null)
        {
            var root = Path.GetFullPath(uploadRoot) + Path.DirectorySeparatorChar;
            var outside = parsed.Definition.BuildInputs
                .Where(i => !Path.GetFullPath(Path.Combine(folder, i.Path)).StartsWith(root, StringComparison.Ordinal))
                .Select(i => new PipelineDiagnostic(i.Mark, $"build input '{i.Path}' is outside the uploaded zip; an upload must contain its build inputs (smlops adds them)"))
                .ToList();
            if (outside.Count > 0)
            {
                throw new PipelineRunException(PipelineRunException.InvalidArgument, $"{PipelinePackager.DefinitionFileName}: {outside.Count} build input(s) outside the upload", Diagnostics(outside));
            }
        }

        try
        {
            return await _packages.Packager.PublishAsync(folder, cancellationToken);
        }
        catch (PipelineValidationException ex)
        {
            throw new PipelineRunException(PipelineRunException.InvalidArgument, ex.Message, Diagnostics(ex.Diagnostics));
        }
        catch (InvalidOperationException ex)
        {
            // The build command failed; its exit code and output tail are in the message.
            throw new PipelineRunException(PipelineRunException.InvalidArgument, ex.Message);
        }
    }

    /// <summary>Diagnostics in the API's <c>{file, line, column, message}</c> shape.</summary>
    public static IReadOnlyList<object> Diagnostics(IEnumerable<PipelineDiagnostic> diagnostics) =>
        diagnostics.Select(d => (object)new { file = d.Mark.File, line = d.Mark.Line, column = d.Mark.Column, message = d.Message }).ToList();

    /// <summary>The run's status as the API reports it.</summary>
    public static string StatusOf(OrchestrationMetadata meta)
    {
        ArgumentNullException.ThrowIfNull(meta);
        return meta.RuntimeStatus switch
        {
            OrchestrationStatus.Pending => "Pending",
            OrchestrationStatus.Completed => meta.ReadOutputAs<PipelineRunOutput>()?.Outcome switch
            {
                RunOutcome.Succeeded => "Succeeded",
                RunOutcome.Cancelled => "Cancelled",
                _ => "Failed",
            },
            OrchestrationStatus.Failed => "Failed",
            OrchestrationStatus.Terminated or OrchestrationStatus.Canceled => "Cancelled",
            _ => "Running",
        };
    }

    private async Task<PipelineRunStarted> StartInputAsync(PipelineRunInput input, CancellationToken cancellationToken)
    {
        if (await _client.GetInstanceAsync(input.RunId, false, cancellationToken) is { } existing)
        {
            throw new PipelineRunException(PipelineRunException.Conflict, $"runId: a run '{input.RunId}' already exists ({existing.RuntimeStatus})");
        }

        try
        {
            await _client.StartNewAsync(PipelineRunNames.RunOrchestration, input, new StartOrchestrationOptions { InstanceId = input.RunId }, cancellationToken);
        }
        catch (InstanceAlreadyExistsException)
        {
            throw new PipelineRunException(PipelineRunException.Conflict, $"runId: a run '{input.RunId}' already exists");
        }

        return new PipelineRunStarted(input.RunId, input.Pipeline, input.Version);
    }

    private async Task<OrchestrationMetadata> GetRunInstanceAsync(string runId, CancellationToken cancellationToken)
    {
        if (!IsValidRunId(runId))
        {
            throw new PipelineRunException(PipelineRunException.NotFound, $"no run '{runId}'");
        }

        var meta = await _client.GetInstanceAsync(runId, true, cancellationToken);
        return meta is not null && string.Equals(meta.Name, PipelineRunNames.RunOrchestration, StringComparison.OrdinalIgnoreCase)
            ? meta
            : throw new PipelineRunException(PipelineRunException.NotFound, $"no run '{runId}'");
    }

    private static PipelineRunInfo ToInfo(OrchestrationMetadata meta, bool detailed)
    {
        var input = DataConverter.Deserialize<PipelineRunInput>(meta.SerializedInput);
        var progress = meta.ReadCustomStatusAs<RunProgress>();
        var status = StatusOf(meta);
        var reason = meta.RuntimeStatus switch
        {
            OrchestrationStatus.Completed => meta.ReadOutputAs<PipelineRunOutput>()?.Reason,
            OrchestrationStatus.Failed => meta.Failure?.Message,
            OrchestrationStatus.Terminated => "terminated",
            _ => null,
        };
        return new PipelineRunInfo
        {
            Id = meta.InstanceId,
            Pipeline = input?.Pipeline ?? progress?.Pipeline,
            Version = input?.Version ?? progress?.Version,
            Status = status,
            CreatedAt = meta.CreatedAt,
            LastUpdatedAt = meta.LastUpdatedAt,
            TrackingRunId = progress?.TrackingRunId,
            ExperimentId = progress?.ExperimentId,
            Parameters = detailed ? input?.Parameters : null,
            Reason = detailed ? reason : null,
            Steps = detailed ? progress?.Steps ?? [] : null,
        };
    }

    private static string NewRunId(string pipeline) =>
        $"{pipeline}-{DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}-{Guid.NewGuid().ToString("N")[..6]}";

    private static void CheckName(string name, string field)
    {
        if (!NamePattern().IsMatch(name ?? string.Empty))
        {
            throw new PipelineRunException(PipelineRunException.InvalidArgument, $"{field}: '{name}' is not a pipeline name (lowercase letters, digits and dashes)");
        }
    }

    private static void CheckRunId(string runId)
    {
        if (!IsValidRunId(runId))
        {
            throw new PipelineRunException(PipelineRunException.InvalidArgument,
                $"runId: '{runId}' must be {PipelineRunIds.Rule}");
        }
    }

    private static bool IsValidRunId(string? runId) => PipelineRunIds.IsValid(runId);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$")]
    private static partial Regex NamePattern();
}
