namespace Serverless.Host.Samples;

/// <summary>Settings of the built-in sample and self-test orchestrations (section <c>Serverless:Samples</c>).</summary>
internal sealed class SampleOptions
{
    public const string SectionName = "Serverless:Samples";

    /// <summary>
    /// Allows the <c>Samples.Crash</c> activity, which ends the host process abruptly. Only the crash
    /// tests turn it on; it exists to prove poison-message handling against real process deaths.
    /// </summary>
    public bool EnableFaultInjection { get; set; }

    /// <summary>Table where <c>Samples.Record</c> writes one row per activity execution.</summary>
    public string ExecutionsTable { get; set; } = "sampleexecutions";
}
