using Microsoft.Extensions.DependencyInjection;
using Serverless.Orchestration;
using Serverless.Schedules.Launching;
using Serverless.Schedules.Store;

namespace Serverless.Schedules.Running;

/// <summary>Plugs the schedule orchestration and its activities into the host's registry.</summary>
public sealed class SchedulesModule : IOrchestrationModule
{
    /// <inheritdoc/>
    public void Register(OrchestrationRegistry registry, IServiceProvider services) =>
        ScheduleOrchestration.Register(
            registry,
            new DeferredPipelineRunLauncher(services),
            services.GetRequiredService<ScheduleStore>(),
            services.GetRequiredService<SchedulerOptions>());
}
