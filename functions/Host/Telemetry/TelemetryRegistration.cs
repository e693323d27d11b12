using Azure.Core;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Serverless.Host.Telemetry;

/// <summary>
/// OpenTelemetry for the host: traces of every <c>Serverless.*</c> source plus ASP.NET Core requests,
/// metrics of every <c>Serverless.*</c> meter plus request durations, and ILogger logs. Exporters come
/// from settings: <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> (Azure Monitor, with Entra auth when
/// <c>APPLICATIONINSIGHTS_AUTHENTICATION_STRING</c> says <c>Authorization=AAD</c>),
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (OTLP), <c>Serverless:Telemetry:Console=true</c> (console).
/// With none of them, nothing is registered and telemetry costs nothing.
/// </summary>
public static class TelemetryRegistration
{
    /// <summary>Adds the configured exporters; returns whether any is configured.</summary>
    public static bool AddPlatformTelemetry(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        var options = configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>() ?? new TelemetryOptions();
        builder.Services.AddSingleton(options);
        var appInsights = configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"];
        var otlp = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var useAppInsights = !string.IsNullOrWhiteSpace(appInsights);
        if (!useAppInsights && !otlp && !options.Console)
        {
            return false;
        }

        var credential = useAppInsights ? AppInsightsCredential(configuration["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]) : null;
        builder.Services.AddHostedService<QueueDepthSampler>();
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(PlatformTelemetry.ServiceName, serviceInstanceId: Environment.MachineName))
            .WithTracing(t =>
            {
                t.AddSource(PlatformTelemetry.Wildcard, "Microsoft.AspNetCore");
                if (useAppInsights)
                {
                    t.AddAzureMonitorTraceExporter(o => Configure(o, appInsights!, credential));
                }

                if (otlp)
                {
                    t.AddOtlpExporter();
                }

                if (options.Console)
                {
                    t.AddConsoleExporter();
                }
            })
            .WithMetrics(m =>
            {
                m.AddMeter(PlatformTelemetry.Wildcard, "Microsoft.AspNetCore.Hosting");
                if (useAppInsights)
                {
                    m.AddAzureMonitorMetricExporter(o => Configure(o, appInsights!, credential));
                }

                if (otlp)
                {
                    m.AddOtlpExporter();
                }

                if (options.Console)
                {
                    m.AddConsoleExporter();
                }
            })
            .WithLogging(l =>
            {
                if (useAppInsights)
                {
                    l.AddAzureMonitorLogExporter(o => Configure(o, appInsights!, credential));
                }

                if (otlp)
                {
                    l.AddOtlpExporter();
                }

                if (options.Console)
                {
                    l.AddConsoleExporter();
                }
            });
        return true;
    }

    private static void Configure(AzureMonitorExporterOptions options, string connectionString, TokenCredential? credential)
    {
        options.ConnectionString = connectionString;
        options.Credential = credential;
    }

    /// <summary>
    /// The Bicep sets <c>ClientId=&lt;id&gt;;Authorization=AAD</c> so ingestion can require Entra tokens;
    /// the managed identity then signs the exports.
    /// </summary>
    private static ManagedIdentityCredential? AppInsightsCredential(string? authentication)
    {
        if (string.IsNullOrWhiteSpace(authentication) || !authentication.Contains("Authorization=AAD", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var clientId = authentication.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2))
            .FirstOrDefault(p => p.Length == 2 && p[0].Equals("ClientId", StringComparison.OrdinalIgnoreCase))?[1];
        return clientId is null
            ? new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned)
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
    }
}
