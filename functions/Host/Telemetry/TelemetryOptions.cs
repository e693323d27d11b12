namespace Serverless.Host.Telemetry;

/// <summary>Exporter switches (section <c>Serverless:Telemetry</c>); OTLP and Application Insights are chosen by their standard settings.</summary>
public sealed class TelemetryOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Serverless:Telemetry";

    /// <summary>Write spans, metrics and logs to the console exporter.</summary>
    public bool Console { get; set; }

    /// <summary>How often queue depths are sampled for the gauge.</summary>
    public TimeSpan QueueDepthInterval { get; set; } = TimeSpan.FromSeconds(15);
}
