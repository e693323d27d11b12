namespace Serverless.Pipelines.Execution;

/// <summary>The tracking run a step logs to, passed to the step as <c>MLFLOW_*</c> environment variables.</summary>
/// <param name="TrackingUri">The MLflow-compatible tracking server (<c>MLFLOW_TRACKING_URI</c>).</param>
/// <param name="RunId">The step's child run (<c>MLFLOW_RUN_ID</c>).</param>
/// <param name="ExperimentId">The experiment (<c>MLFLOW_EXPERIMENT_ID</c>).</param>
public sealed record TrackingContext(string TrackingUri, string? RunId, string? ExperimentId);
