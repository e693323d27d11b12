using Serverless.Host.Samples;
using Serverless.Orchestration;
using Serverless.Orchestration.AzureStorage;
using Serverless.Storage;

namespace Serverless.Host.Hosting;

/// <summary>Registers the durable engine, its orchestrators and activities, and its workers.</summary>
internal static class OrchestrationRegistration
{
    /// <summary>
    /// Adds the engine bound from <c>Serverless:Orchestration</c>. Bounded contexts plug their orchestrators
    /// and activities in by registering an <see cref="IOrchestrationModule"/> service.
    /// </summary>
    public static IServiceCollection AddDurableEngine(this IServiceCollection services, IConfiguration configuration)
    {
        var options = new TaskHubOptions();
        configuration.GetSection(TaskHubOptions.SectionName).Bind(options);
        services.AddSingleton(options);
        services.AddSingleton(sp =>
        {
            var registry = new OrchestrationRegistry();
            SampleOrchestrations.Register(registry, sp.GetRequiredService<StorageClients>(), configuration.GetSection(SampleOptions.SectionName).Get<SampleOptions>() ?? new SampleOptions());
            foreach (var module in sp.GetServices<IOrchestrationModule>())
            {
                module.Register(registry, sp);
            }

            return registry;
        });
        services.AddSingleton(sp => new DurableEngine(
            sp.GetRequiredService<StorageClients>(),
            sp.GetRequiredService<TaskHubOptions>(),
            sp.GetRequiredService<OrchestrationRegistry>(),
            sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton(sp => sp.GetRequiredService<DurableEngine>().Client);
        services.AddHostedService<EngineHostedService>();
        return services;
    }
}
