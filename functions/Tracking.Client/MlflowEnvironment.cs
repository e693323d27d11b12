namespace Serverless.Tracking.Client;

/// <summary>
/// The environment variables MLflow uses to hand a run to a child process. Pipeline steps receive
/// these from the platform and pass them on to any MLflow code they run.
/// </summary>
public static class MlflowEnvironment
{
    /// <summary>Name of the tracking URI variable.</summary>
    public const string TrackingUriVariable = "MLFLOW_TRACKING_URI";

    /// <summary>Name of the active run id variable.</summary>
    public const string RunIdVariable = "MLFLOW_RUN_ID";

    /// <summary>Name of the experiment id variable.</summary>
    public const string ExperimentIdVariable = "MLFLOW_EXPERIMENT_ID";

    /// <summary>The tracking URI, or null when unset or not an absolute http(s) URI.</summary>
    public static Uri? TrackingUri =>
        Uri.TryCreate(Environment.GetEnvironmentVariable(TrackingUriVariable), UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : null;

    /// <summary>The run id, or null when unset.</summary>
    public static string? RunId => NullIfEmpty(Environment.GetEnvironmentVariable(RunIdVariable));

    /// <summary>The experiment id, or null when unset.</summary>
    public static string? ExperimentId => NullIfEmpty(Environment.GetEnvironmentVariable(ExperimentIdVariable));

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
