using Serverless.Orchestration;

namespace Serverless.Schedules.Launching;

/// <summary>
/// Runs pipelines as orchestration instances of the engine: the run is the instance <c>runId</c> of the
/// orchestrator <paramref name="orchestratorName"/>, its input built by <paramref name="inputFactory"/>.
/// </summary>
/// <remarks>
/// A start first looks for an instance with the run id in any state, so a repeated activity (or a second
/// host) never restarts a run that has already finished; the engine's own check refuses a concurrent
/// duplicate start of an unfinished one.
/// </remarks>
/// <param name="client">The engine's client.</param>
/// <param name="orchestratorName">The orchestrator that runs a pipeline.</param>
/// <param name="inputFactory">Builds the orchestrator's input from the request.</param>
/// <param name="cancel">Stops a run; the default terminates the instance.</param>
public sealed class OrchestrationRunLauncher(
    OrchestrationClient client,
    string orchestratorName,
    Func<PipelineRunRequest, object?> inputFactory,
    Func<OrchestrationClient, string, CancellationToken, Task>? cancel = null) : IPipelineRunLauncher
{
    /// <inheritdoc/>
    public async Task<bool> StartAsync(PipelineRunRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await client.GetInstanceAsync(request.RunId, fetchInputsAndOutputs: false, cancellationToken) is not null)
        {
            return false;
        }

        try
        {
            await client.StartNewAsync(orchestratorName, inputFactory(request), new StartOrchestrationOptions { InstanceId = request.RunId }, cancellationToken);
            return true;
        }
        catch (InstanceAlreadyExistsException)
        {
            return false;
        }
    }

    /// <inheritdoc/>
    public async Task<PipelineRunState> GetStateAsync(string runId, CancellationToken cancellationToken = default)
    {
        var instance = await client.GetInstanceAsync(runId, fetchInputsAndOutputs: false, cancellationToken);
        return instance is null ? PipelineRunState.NotFound
            : instance.RuntimeStatus.IsTerminal() ? PipelineRunState.Finished
            : PipelineRunState.Running;
    }

    /// <inheritdoc/>
    public async Task CancelAsync(string runId, CancellationToken cancellationToken = default)
    {
        if (await GetStateAsync(runId, cancellationToken) != PipelineRunState.Running)
        {
            return;
        }

        if (cancel is not null)
        {
            await cancel(client, runId, cancellationToken);
            return;
        }

        try
        {
            await client.TerminateAsync(runId, "cancelled by its schedule (overlap: cancel-previous)", cancellationToken);
        }
        catch (InstanceStateException)
        {
            // It finished between the check and the terminate: nothing left to cancel.
        }
    }
}
