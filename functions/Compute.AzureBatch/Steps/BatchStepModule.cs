using Microsoft.Extensions.DependencyInjection;
using Serverless.Orchestration;
using Serverless.Pipelines.Attempts;

namespace Serverless.Compute.AzureBatch.Steps;

/// <summary>
/// Plugs Batch steps into the engine: the <see cref="StepAttempts.BatchOrchestration"/> sub-orchestration and
/// the activities of <see cref="BatchStepActivities"/> (including <see cref="BatchStepActivities.EndRun"/>).
/// </summary>
public sealed class BatchStepModule : IOrchestrationModule
{
    /// <inheritdoc />
    public void Register(OrchestrationRegistry registry, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(services);
        var options = services.GetRequiredService<BatchOptions>();
        Register(registry, services.GetRequiredService<BatchStepActivities>(), options);
    }

    /// <summary>Adds the orchestration and activities to a registry (for hosts without a service provider, and tests).</summary>
    public static void Register(OrchestrationRegistry registry, BatchStepActivities activities, BatchOptions options)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(activities);
        ArgumentNullException.ThrowIfNull(options);
        registry.AddOrchestrator<StepAttemptInput, Pipelines.Execution.StepExecutionResult>(
            StepAttempts.BatchOrchestration, (context, input) => BatchStepOrchestration.RunAsync(context, input, options));
        activities.Register(registry);
    }
}
