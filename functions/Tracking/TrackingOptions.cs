namespace Serverless.Tracking;

/// <summary>Where tracking keeps its tables and artifacts.</summary>
/// <remarks>Bound from configuration section <c>Serverless:Tracking</c>.</remarks>
public sealed class TrackingOptions
{
    /// <summary>The configuration section these options are read from.</summary>
    public const string SectionName = "Serverless:Tracking";

    /// <summary>Prefix of every tracking table name (letters and digits, starting with a letter).</summary>
    public string TablePrefix { get; set; } = "mlflow";

    /// <summary>Blob container holding artifacts (the proxy's artifacts destination).</summary>
    public string ArtifactContainer { get; set; } = "mlflow-artifacts";

    /// <summary>Most runs whose state is kept in memory between writes (per process).</summary>
    public int RunCacheSize { get; set; } = 10_000;
}
