using Serverless.Orchestration.AzureStorage;

namespace Serverless.Host.Functions;

/// <summary>Wires the function catalog, the trigger code and (locally) the trigger runner into the host.</summary>
public static class FunctionsRegistration
{
    /// <summary>Adds the catalog and its triggers; in local mode also runs them in-process.</summary>
    public static IServiceCollection AddFunctionsApp(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(FunctionsOptions.SectionName).Get<FunctionsOptions>() ?? new FunctionsOptions();
        services.AddSingleton(options);
        services.AddSingleton(sp => new FunctionCatalog(sp.GetRequiredService<TaskHubOptions>()));
        services.AddSingleton<EngineWorkProbe>();
        services.AddSingleton<EngineTriggers>();
        services.AddSingleton<WakePoster>();
        services.AddHostedService<WakeQueueSetup>();
        if (!CustomHandlerEnvironment.IsActive && options.LocalTriggers)
        {
            services.AddHostedService<LocalTriggerService>();
        }

        return services;
    }

    /// <summary>
    /// Posts a wake message for requests that may start work, so the platform sees queue length while
    /// that work runs (on by default under the Functions host, see <see cref="FunctionsOptions.WakeOnWrite"/>).
    /// </summary>
    public static IApplicationBuilder UseWakeOnWrite(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.ApplicationServices.GetRequiredService<FunctionsOptions>();
        if (!(options.WakeOnWrite ?? CustomHandlerEnvironment.IsActive))
        {
            return app;
        }

        var catalog = app.ApplicationServices.GetRequiredService<FunctionCatalog>();
        var poster = app.ApplicationServices.GetRequiredService<WakePoster>();
        return app.Use(async (http, next) =>
        {
            var method = http.Request.Method;
            if (!HttpMethods.IsGet(method) && !HttpMethods.IsHead(method) && !HttpMethods.IsOptions(method) &&
                catalog.FindHttp(http.Request.Path.Value ?? "/") is not null)
            {
                // Before the response: on a consumption plan work after the response may be frozen with the instance.
                await poster.PostAsync("request", http.RequestAborted);
            }

            await next(http);
        });
    }
}
