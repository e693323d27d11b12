namespace Serverless.Tracking.Client;

// Response envelopes of the MLflow REST API, as the client reads them.
internal sealed record CreateExperimentResponse(string ExperimentId);

internal sealed record ExperimentResponse(Experiment Experiment);

internal sealed record SearchExperimentsResponse(IReadOnlyList<Experiment>? Experiments, string? NextPageToken);

internal sealed record RunResponse(Run Run);

internal sealed record RunInfoResponse(RunInfo RunInfo);

internal sealed record SearchRunsResponse(IReadOnlyList<Run>? Runs, string? NextPageToken);

internal sealed record MetricHistoryResponse(IReadOnlyList<Metric>? Metrics, string? NextPageToken);

internal sealed record RegisteredModelResponse(RegisteredModel RegisteredModel);

internal sealed record SearchRegisteredModelsResponse(IReadOnlyList<RegisteredModel>? RegisteredModels, string? NextPageToken);

internal sealed record ModelVersionResponse(ModelVersion ModelVersion);

internal sealed record ModelVersionsResponse(IReadOnlyList<ModelVersion>? ModelVersions, string? NextPageToken);

internal sealed record DownloadUriResponse(string ArtifactUri);

internal sealed record ListArtifactsResponse(IReadOnlyList<ArtifactFile>? Files);

internal sealed record ErrorResponse(string? ErrorCode, string? Message);

internal sealed record EmptyResponse;
