using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Serverless.Orchestration;
using Serverless.Pipelines.Orchestration;
using Serverless.Pipelines.Packaging;
using Serverless.Schedules.Definition;
using Serverless.Schedules.Launching;
using Serverless.Schedules.Running;
using Serverless.Schedules.Store;
using Serverless.Storage;

namespace Serverless.Schedules;

/// <summary>Registers schedules in a host.</summary>
public static class SchedulesServiceCollectionExtensions
{
    /// <summary>
    /// Adds the schedule orchestration (as an <see cref="IOrchestrationModule"/>), the listing table, the
    /// <see cref="ScheduleManager"/> and the schedule check in pipeline validation. Needs
    /// <see cref="StorageClients"/> and the engine's <see cref="OrchestrationClient"/>. The run launcher is
    /// an <see cref="IPipelineRunLauncher"/> service; register one before this call to replace the default,
    /// which starts runs through the pipelines context's <see cref="PipelineRuns"/> (register it with its <c>AddPipelines</c>).
    /// </summary>
    public static IServiceCollection AddSchedules(this IServiceCollection services, Action<SchedulerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new SchedulerOptions();
        configure?.Invoke(options);
        ScheduleValidation.Register();
        services.TryAddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new ScheduleStore(sp.GetRequiredService<StorageClients>(), sp.GetRequiredService<SchedulerOptions>().TableName));
        services.TryAddSingleton<IPipelineRunLauncher>(sp => new PipelinesRunLauncher(sp.GetRequiredService<OrchestrationClient>(), sp.GetRequiredService<PipelineRuns>()));
        services.TryAddSingleton(sp => new ScheduleManager(
            sp.GetRequiredService<OrchestrationClient>(),
            sp.GetRequiredService<ScheduleStore>(),
            Packager(sp),
            sp.GetRequiredService<SchedulerOptions>(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IOrchestrationModule, SchedulesModule>();
        return services;
    }

    // The pipelines context registers the packager in a full host; a host without it still reads packages
    // from the default container.
    private static PipelinePackager Packager(IServiceProvider sp) =>
        sp.GetService<PipelinePackager>() ?? new PipelinePackager(sp.GetRequiredService<StorageClients>(), sp.GetService<PackageStoreOptions>() ?? new PackageStoreOptions());
}
