using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Orchestration;
using Serverless.Pipelines.Attempts;
using Serverless.Storage;

namespace Serverless.Compute.AzureBatch.Steps;

/// <summary>Registers Batch steps in a host.</summary>
public static class BatchStepServiceCollectionExtensions
{
    /// <summary>Whether <c>Serverless:Batch:AccountUrl</c> is set, i.e. whether a host should add Batch steps at all.</summary>
    public static bool IsBatchConfigured(this IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return !string.IsNullOrWhiteSpace(configuration[$"{BatchOptions.SectionName}:{nameof(BatchOptions.AccountUrl)}"]);
    }

    /// <summary>
    /// Adds <see cref="BatchOptions"/> (section <c>Serverless:Batch</c>), the <see cref="BatchClient"/>, the
    /// step activities, <see cref="BatchStepLogs"/> (also as the pipelines API's <see cref="IStepLogSource"/> for Batch steps), and the <see cref="BatchStepModule"/> orchestration module.
    /// Needs a <see cref="StorageClients"/> and, for the logs service, an <see cref="OrchestrationClient"/> service.
    /// </summary>
    /// <exception cref="ArgumentException">The account URL is missing or not https (raised when the client is first resolved).</exception>
    public static IServiceCollection AddAzureBatchSteps(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new BatchOptions();
        configuration.GetSection(BatchOptions.SectionName).Bind(options);
        services.AddSingleton(options);
        services.AddSingleton(sp => BatchClient.FromOptions(sp.GetRequiredService<BatchOptions>()));
        services.AddSingleton(sp => new BatchStepActivities(
            sp.GetRequiredService<BatchClient>(), sp.GetRequiredService<StorageClients>(), sp.GetRequiredService<BatchOptions>()));
        services.AddSingleton(sp => new BatchStepLogs(
            sp.GetRequiredService<BatchClient>(), sp.GetRequiredService<StorageClients>(), sp.GetRequiredService<OrchestrationClient>()));
        services.AddSingleton<IStepLogSource>(sp => new BatchStepLogSource(sp.GetRequiredService<BatchStepLogs>()));
        services.AddSingleton<IOrchestrationModule, BatchStepModule>();
        return services;
    }
}
