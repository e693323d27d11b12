using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Serverless.Storage;

namespace Serverless.Tracking.Mlflow;

/// <summary>Registers tracking, the registry and the artifact store for the MLflow endpoints and in-process callers.</summary>
public static class TrackingServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="TrackingService"/>, <see cref="ModelRegistryService"/> and <see cref="IArtifactStore"/>
    /// on Azure Tables and Blobs. Uses the <see cref="StorageClients"/> singleton already registered
    /// (or <paramref name="clients"/> when given).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Adjusts table prefix and container name.</param>
    /// <param name="clients">Storage clients to use instead of the registered singleton.</param>
    public static IServiceCollection AddTracking(this IServiceCollection services, Action<TrackingOptions>? configure = null, StorageClients? clients = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new TrackingOptions();
        configure?.Invoke(options);
        services.TryAddSingleton(options);
        if (clients is not null)
        {
            services.TryAddSingleton(clients);
        }

        services.TryAddSingleton<ITrackingStore>(sp => new TableTrackingStore(sp.GetRequiredService<StorageClients>(), sp.GetRequiredService<TrackingOptions>()));
        services.TryAddSingleton<IModelRegistryStore>(sp => new TableModelRegistryStore(sp.GetRequiredService<StorageClients>(), sp.GetRequiredService<TrackingOptions>()));
        services.TryAddSingleton<IArtifactStore>(sp => new BlobArtifactStore(sp.GetRequiredService<StorageClients>(), sp.GetRequiredService<TrackingOptions>()));
        services.TryAddSingleton<IMultipartArtifactStore>(sp => new BlobMultipartUploads(sp.GetRequiredService<StorageClients>(), sp.GetRequiredService<TrackingOptions>()));
        services.TryAddSingleton(sp => new TrackingService(sp.GetRequiredService<ITrackingStore>()));
        services.TryAddSingleton(sp => new ModelRegistryService(sp.GetRequiredService<IModelRegistryStore>()));
        services.TryAddSingleton<TrackingInitializer>();
        return services;
    }
}
