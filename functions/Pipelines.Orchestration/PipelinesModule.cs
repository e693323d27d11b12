using Serverless.Orchestration;
using Serverless.Pipelines.Attempts;
using Serverless.Pipelines.Execution;
using Serverless.Pipelines.Planning;
using Serverless.Pipelines.Running;
using Serverless.Storage;
using Serverless.Tracking;

namespace Serverless.Pipelines.Orchestration;

/// <summary>
/// Registers the durable pipeline run: the <see cref="PipelineRunNames.RunOrchestration"/> orchestration, the
/// <see cref="StepAttempts.LocalOrchestration"/> attempt and their activities.
/// </summary>
public sealed class PipelinesModule : IOrchestrationModule
{
    private readonly PipelineRunActivities _activities;
    private readonly LocalStepRunner _local;
    private readonly StepCancelMarkers _markers;

    /// <summary>Creates the module.</summary>
    /// <param name="storage">The storage account.</param>
    /// <param name="packages">Published packages.</param>
    /// <param name="executor">Runs local step attempts.</param>
    /// <param name="cache">The step cache.</param>
    /// <param name="options">Run settings.</param>
    /// <param name="tracking">Tracking, or null to run without tracking runs.</param>
    /// <param name="artifacts">The tracking artifact store (for the resolved definition), or null.</param>
    public PipelinesModule(
        StorageClients storage, PackageCache packages, LocalStepExecutor executor, IStepCache cache, PipelineRunOptions options,
        TrackingService? tracking = null, IArtifactStore? artifacts = null)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(options);
        _markers = new StepCancelMarkers(storage, options.ControlContainer);
        _activities = new PipelineRunActivities(packages, cache, storage.Blobs.GetBlobContainerClient(options.ControlContainer), options, tracking, artifacts);
        _local = new LocalStepRunner(executor, packages, _markers, options);
    }

    /// <inheritdoc />
    public void Register(OrchestrationRegistry registry, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.AddOrchestrator<PipelineRunInput, PipelineRunOutput>(PipelineRunNames.RunOrchestration, PipelineRunOrchestrator.RunAsync);
        registry.AddOrchestrator<StepAttemptInput, StepExecutionResult>(StepAttempts.LocalOrchestration, LocalStepAttempt.RunAsync);
        registry.AddActivity<PrepareRunRequest, PreparedRun>(PipelineRunNames.Prepare, (_, r) => _activities.PrepareAsync(r));
        registry.AddActivity<BeginStepRequest, BeginStepResult>(PipelineRunNames.BeginStep, (_, r) => _activities.BeginStepAsync(r));
        registry.AddActivity<StepFinishedRequest, bool>(PipelineRunNames.StepFinished, (_, r) => _activities.StepFinishedAsync(r));
        registry.AddActivity<FinishRunRequest, bool>(PipelineRunNames.Finish, (_, r) => _activities.FinishAsync(r));
        registry.AddActivity<StepAttemptInput, StepExecutionResult>(PipelineRunNames.LocalRun, (context, input) => _local.RunAsync(context.InstanceId, context, input));
        registry.AddActivity<StepAttemptInput, StepExecutionResult>(PipelineRunNames.LocalStep, (context, input) =>
            _local.RunAsync(input is null ? context.InstanceId : StepAttempts.InstanceId(input.RunId, input.StepKey, input.Attempt), context, input));
        registry.AddActivity<BeginStepRequest, BeginLocalStepResult>(PipelineRunNames.BeginLocalStep, async (context, request) =>
        {
            ArgumentNullException.ThrowIfNull(request);
            var begin = await _activities.BeginStepAsync(request);
            if (begin.Hit is not null)
            {
                return new BeginLocalStepResult(begin, null);
            }

            // The attempt names its derived child run; without one (no tracking here) it must not point at it.
            var attempt = begin.TrackingRunId is null ? request.Attempt with { Tracking = null } : request.Attempt;
            // Once begun, the answer must carry the begin (the child run exists now), so a failure to run is a result.
            StepExecutionResult result;
            try
            {
                result = await _local.RunAsync(StepAttempts.InstanceId(attempt.RunId, attempt.StepKey, attempt.Attempt), context, attempt);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                result = attempt.Unsuccessful(FailureKind.Infrastructure, $"{ex.GetType().Name}: {ex.Message}");
            }

            return new BeginLocalStepResult(begin, result);
        });
        _activities.UseRegistry(registry);
        registry.AddActivity<string, bool>(PipelineRunNames.LocalCancel, async (context, id) =>
        {
            await _markers.SetAsync(id ?? context.InstanceId, context.CancellationToken);
            return true;
        });
    }
}
