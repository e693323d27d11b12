namespace Serverless.Host.Telemetry;

/// <summary>Names of the platform's trace sources and meters; the host exports every <c>Serverless.*</c> one.</summary>
public static class PlatformTelemetry
{
    /// <summary>Wildcard the host subscribes to: any context's ActivitySource or Meter named <c>Serverless.&lt;Context&gt;</c> is exported.</summary>
    public const string Wildcard = "Serverless.*";

    /// <summary>The engine's source (episodes, activities); defined in <c>Serverless.Orchestration.Diagnostics.EngineTelemetry</c>.</summary>
    public const string Orchestration = Serverless.Orchestration.Diagnostics.EngineTelemetry.SourceName;

    /// <summary>The pipelines context's source: a span per pipeline run and per step attempt.</summary>
    public const string Pipelines = "Serverless.Pipelines";

    /// <summary>The host's own meter (queue depths).</summary>
    public const string Host = "Serverless.Host";

    /// <summary>The service name on every exported span, metric and log.</summary>
    public const string ServiceName = "serverless-mlops";
}
