using System.Text.Json;
using Serverless.Orchestration;
using Serverless.Pipelines.Orchestration;
using RunRequest = Serverless.Pipelines.Orchestration.PipelineRunRequest;

namespace Serverless.Schedules.Launching;

/// <summary>
/// Starts real pipeline runs through the pipelines context's <see cref="PipelineRuns"/> (the same path as
/// <c>POST /api/pipelines/{name}/runs</c>): version resolution, parameter checks, the <c>Pipelines.Run</c>
/// orchestration under the schedule's run id. Cancels through <see cref="PipelineRuns.CancelAsync"/>.
/// </summary>
public sealed class PipelinesRunLauncher : IPipelineRunLauncher
{
    private readonly OrchestrationClient _client;
    private readonly PipelineRuns _runs;

    /// <summary>Creates the launcher.</summary>
    public PipelinesRunLauncher(OrchestrationClient client, PipelineRuns runs)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _runs = runs ?? throw new ArgumentNullException(nameof(runs));
    }

    /// <inheritdoc/>
    public async Task<bool> StartAsync(PipelineRunRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);

        // Any instance with the id, finished or not, means this occurrence already ran: never start it again.
        if (await _client.GetInstanceAsync(request.RunId, fetchInputsAndOutputs: false, cancellationToken) is not null)
        {
            return false;
        }

        try
        {
            await _runs.StartAsync(request.Pipeline, new RunRequest
            {
                Version = request.Version,
                RunId = request.RunId,
                Parameters = request.Parameters.ToDictionary(p => p.Key, p => JsonDocument.Parse(p.Value.ToJson()).RootElement.Clone()),
            }, cancellationToken);
            return true;
        }
        catch (PipelineRunException ex) when (ex.Code == PipelineRunException.Conflict)
        {
            return false;
        }
        catch (PipelineRunException ex)
        {
            // Surfaces as the schedule's lastError; the schedule keeps time.
            throw new InvalidOperationException($"{ex.Code}: {ex.Message}", ex);
        }
    }

    /// <inheritdoc/>
    public async Task<PipelineRunState> GetStateAsync(string runId, CancellationToken cancellationToken = default)
    {
        var instance = await _client.GetInstanceAsync(runId, fetchInputsAndOutputs: false, cancellationToken);
        return instance is null ? PipelineRunState.NotFound
            : instance.RuntimeStatus.IsTerminal() ? PipelineRunState.Finished
            : PipelineRunState.Running;
    }

    /// <inheritdoc/>
    public async Task CancelAsync(string runId, CancellationToken cancellationToken = default)
    {
        try
        {
            await _runs.CancelAsync(runId, cancellationToken);
        }
        catch (PipelineRunException ex) when (ex.Code is PipelineRunException.Conflict or PipelineRunException.NotFound)
        {
            // Finished (or gone) in the meantime: nothing left to cancel.
        }
    }
}
