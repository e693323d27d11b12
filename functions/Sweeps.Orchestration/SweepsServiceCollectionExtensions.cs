using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Serverless.Orchestration;

namespace Serverless.Sweeps.Orchestration;

/// <summary>Adds swept steps to a host.</summary>
public static class SweepsServiceCollectionExtensions
{
    /// <summary>Registers <see cref="SweepsModule"/> and its options, and the sweep checks in pipeline validation.</summary>
    public static IServiceCollection AddSweeps(this IServiceCollection services, Action<SweepOrchestrationOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new SweepOrchestrationOptions();
        configure?.Invoke(options);
        SweepValidation.Register();
        services.TryAddSingleton(options);
        services.AddSingleton<IOrchestrationModule, SweepsModule>();
        return services;
    }
}
