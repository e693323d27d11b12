using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Orchestration;
using Serverless.Orchestration.AzureStorage;
using Serverless.Pipelines.Execution;
using Serverless.Pipelines.Orchestration;
using Serverless.Pipelines.Packaging;
using Serverless.Pipelines.Running;
using Serverless.Storage;
using Serverless.Tracking;

namespace Serverless.Pipelines.Http;

/// <summary>Registers durable pipeline runs and what the pipelines API needs.</summary>
public static class PipelinesServiceCollectionExtensions
{
    /// <summary>
    /// Adds the package store, the local executor, the step cache, <see cref="PipelineRuns"/> and the
    /// <see cref="PipelinesModule"/> orchestrations, bound from <c>Serverless:Pipelines</c> (<c>:Local</c> for the
    /// executor, <c>:Packages</c> for the store). Needs <see cref="StorageClients"/> and the engine's
    /// <see cref="OrchestrationClient"/>; uses tracking when it is registered.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configuration">The host's configuration.</param>
    /// <param name="defaultTrackingUri">The tracking URI steps get when none is configured: the host's own address.</param>
    public static IServiceCollection AddPipelines(this IServiceCollection services, IConfiguration configuration, string? defaultTrackingUri = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new PipelineRunOptions();
        configuration.GetSection(PipelineRunOptions.SectionName).Bind(options);
        options.TrackingUri ??= FirstUrl(defaultTrackingUri);
        options.SourceRoot ??= FindSourceRoot();
        var local = new LocalExecutorOptions();
        configuration.GetSection(LocalExecutorOptions.SectionName).Bind(local);
        var store = new PackageStoreOptions();
        configuration.GetSection(PackageStoreOptions.SectionName).Bind(store);

        services.AddSingleton(options);
        services.AddSingleton(local);
        services.AddSingleton(store);
        services.AddSingleton(sp => new PipelinePackager(sp.GetRequiredService<StorageClients>(), store));
        services.AddSingleton(sp => new PackageCache(sp.GetRequiredService<PipelinePackager>(), options.PackageCacheRoot));
        services.AddSingleton(sp => new LocalStepExecutor(sp.GetRequiredService<StorageClients>(), local));
        services.AddSingleton<IStepCache>(sp => new TableStepCache(sp.GetRequiredService<StorageClients>(), options.CacheTable));
        services.AddSingleton(sp => new PipelineRuns(sp.GetRequiredService<OrchestrationClient>(), sp.GetRequiredService<PackageCache>(), options));
        services.AddSingleton<IOrchestrationModule>(sp => new PipelinesModule(
            sp.GetRequiredService<StorageClients>(),
            sp.GetRequiredService<PackageCache>(),
            sp.GetRequiredService<LocalStepExecutor>(),
            sp.GetRequiredService<IStepCache>(),
            options,
            sp.GetService<TrackingService>(),
            sp.GetService<IArtifactStore>()));
        return services;
    }

    private static string? FirstUrl(string? urls) =>
        urls?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();

    // Locally the repository's pipelines/ folder is the source of runs by name; found by walking up to global.json.
    private static string? FindSourceRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var pipelines = Path.Combine(dir.FullName, "pipelines");
                if (File.Exists(Path.Combine(dir.FullName, "global.json")) && Directory.Exists(pipelines))
                {
                    return pipelines;
                }
            }
        }

        return null;
    }
}
