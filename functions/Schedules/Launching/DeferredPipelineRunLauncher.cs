using Microsoft.Extensions.DependencyInjection;

namespace Serverless.Schedules.Launching;

/// <summary>
/// Resolves the real launcher on first use. The launcher needs the engine's client, and the engine needs the
/// registry this module fills: resolving it while the registry is being built would deadlock the host's start.
/// </summary>
internal sealed class DeferredPipelineRunLauncher(IServiceProvider services) : IPipelineRunLauncher
{
    private IPipelineRunLauncher Inner => services.GetRequiredService<IPipelineRunLauncher>();

    public Task<bool> StartAsync(PipelineRunRequest request, CancellationToken cancellationToken = default) =>
        Inner.StartAsync(request, cancellationToken);

    public Task<PipelineRunState> GetStateAsync(string runId, CancellationToken cancellationToken = default) =>
        Inner.GetStateAsync(runId, cancellationToken);

    public Task CancelAsync(string runId, CancellationToken cancellationToken = default) =>
        Inner.CancelAsync(runId, cancellationToken);
}
