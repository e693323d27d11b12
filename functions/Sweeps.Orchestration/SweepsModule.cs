using Microsoft.Extensions.DependencyInjection;
using Serverless.Orchestration;
using Serverless.Pipelines.Attempts;
using Serverless.Pipelines.Execution;
using Serverless.Tracking;

namespace Serverless.Sweeps.Orchestration;

/// <summary>
/// Registers the swept-step orchestration (<see cref="StepAttempts.SweepOrchestration"/>) and its activities.
/// Uses <see cref="TrackingService"/> and <see cref="SweepOrchestrationOptions"/> from the services when present;
/// without tracking, trials get no runs and early stopping has no history to read.
/// </summary>
public sealed class SweepsModule : IOrchestrationModule
{
    /// <inheritdoc />
    public void Register(OrchestrationRegistry registry, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(services);
        var options = services.GetService<SweepOrchestrationOptions>() ?? new SweepOrchestrationOptions();
        var activities = new SweepActivities(services.GetService<TrackingService>());
        registry.AddOrchestrator<SweepStepInput, StepExecutionResult>(
            StepAttempts.SweepOrchestration, (context, input) => SweepOrchestrator.RunAsync(context, input, options));
        registry.AddActivity<SuggestRequest, List<Dictionary<string, string>>>(SweepEvents.SuggestActivity, r => SweepActivities.Suggest(r!));
        registry.AddActivity<SweepRunRequest, string?>(SweepEvents.StartSweepRunActivity, (_, r) => activities.StartSweepRunAsync(r!));
        registry.AddActivity<TrialRunRequest, string?>(SweepEvents.StartTrialRunActivity, (_, r) => activities.StartTrialRunAsync(r!));
        registry.AddActivity<ProgressRequest, List<TrialHistory>>(SweepEvents.ReadProgressActivity, (_, r) => activities.ReadProgressAsync(r!));
        registry.AddActivity<FinishTrialRunRequest, bool>(SweepEvents.FinishTrialRunActivity, (_, r) => activities.FinishTrialRunAsync(r!));
        registry.AddActivity<FinishSweepRunRequest, bool>(SweepEvents.FinishSweepRunActivity, (_, r) => activities.FinishSweepRunAsync(r!));
    }
}
