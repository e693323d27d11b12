using Serverless.Orchestration;
using Serverless.Pipelines.Definition;
using Serverless.Pipelines.Packaging;
using Serverless.Pipelines.Parsing;
using Serverless.Pipelines.Planning;

namespace Serverless.Schedules.Launching;

/// <summary>
/// Starts real pipeline runs: instance <c>runId</c> of the <c>Pipelines.Run</c> orchestration, with the
/// version resolved (the latest published when the schedule pins none) and the parameters resolved against
/// that version's definition (defaults filled), as the run orchestration expects. Cancels by raising
/// <c>Pipelines.Run.Cancel</c>.
/// </summary>
public sealed class PipelinesRunLauncher : IPipelineRunLauncher
{
    /// <summary>The run orchestration's name (the pipelines context's <c>PipelineRunNames.RunOrchestration</c>).</summary>
    public const string RunOrchestration = "Pipelines.Run";

    /// <summary>The run's cancel event (the pipelines context's <c>PipelineRunNames.CancelEvent</c>).</summary>
    public const string CancelEvent = "Pipelines.Run.Cancel";

    private readonly OrchestrationClient _client;
    private readonly PipelinePackager _packager;
    private readonly OrchestrationRunLauncher _runs;

    /// <summary>Creates the launcher.</summary>
    public PipelinesRunLauncher(OrchestrationClient client, PipelinePackager packager)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _packager = packager ?? throw new ArgumentNullException(nameof(packager));
        _runs = new OrchestrationRunLauncher(client, RunOrchestration, _ => null, CancelRunAsync);
    }

    /// <inheritdoc/>
    public async Task<bool> StartAsync(PipelineRunRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await _client.GetInstanceAsync(request.RunId, fetchInputsAndOutputs: false, cancellationToken) is not null)
        {
            return false;
        }

        var manifest = request.Version is null
            ? (await _packager.ListAsync(request.Pipeline, cancellationToken)) is [var latest, ..] ? latest : null
            : await _packager.GetAsync(request.Pipeline, request.Version, cancellationToken);
        if (manifest is null)
        {
            throw new InvalidOperationException($"pipeline '{request.Pipeline}' has no published version{(request.Version is null ? string.Empty : $" '{request.Version}'")}");
        }

        var definition = await ReadDefinitionAsync(manifest, cancellationToken);
        var input = new RunInput
        {
            RunId = request.RunId,
            Pipeline = request.Pipeline,
            Version = manifest.Version,
            Parameters = ParameterResolver.Resolve(definition, request.Parameters),
        };
        try
        {
            await _client.StartNewAsync(RunOrchestration, input, new StartOrchestrationOptions { InstanceId = request.RunId }, cancellationToken);
            return true;
        }
        catch (InstanceAlreadyExistsException)
        {
            return false;
        }
    }

    /// <inheritdoc/>
    public Task<PipelineRunState> GetStateAsync(string runId, CancellationToken cancellationToken = default) =>
        _runs.GetStateAsync(runId, cancellationToken);

    /// <inheritdoc/>
    public Task CancelAsync(string runId, CancellationToken cancellationToken = default) =>
        _runs.CancelAsync(runId, cancellationToken);

    private static async Task CancelRunAsync(OrchestrationClient client, string runId, CancellationToken cancellationToken)
    {
        try
        {
            await client.RaiseEventAsync(runId, CancelEvent, new { reason = "cancelled by its schedule (overlap: cancel-previous)" }, cancellationToken);
        }
        catch (InstanceStateException)
        {
            // Finished in the meantime.
        }
    }

    private async Task<PipelineDefinition> ReadDefinitionAsync(PackageManifest manifest, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("schedules-run-").FullName;
        try
        {
            await _packager.FetchAsync(manifest.Pipeline, manifest.Version, folder, cancellationToken);
            var path = Path.Combine(folder, PipelinePackager.DefinitionFileName);
            return PipelineParser.Parse(await File.ReadAllTextAsync(path, cancellationToken), $"{manifest.Pipeline}@{manifest.Version}/{PipelinePackager.DefinitionFileName}")
                .GetDefinitionOrThrow();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The fields of the run orchestration's input that a scheduled run sets.</summary>
    private sealed record RunInput
    {
        public required string RunId { get; init; }

        public required string Pipeline { get; init; }

        public required string Version { get; init; }

        public required IReadOnlyDictionary<string, PipelineValue> Parameters { get; init; }
    }
}
