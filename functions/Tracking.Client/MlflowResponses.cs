namespace Serverless.Tracking.Client;

// Response envelopes of the MLflow REST API, as the client reads them.
internal sealed record CreateExperimentResponse(string ExperimentId);

internal sealed record ExperimentResponse(Experiment Experiment);

internal sealed record SearchExperimentsResponse(IReadOnlyList<Experiment>? Experiments = null, string? NextPageToken = null);

internal sealed record RunResponse(Run Run);

internal sealed record RunInfoResponse(RunInfo RunInfo);

internal sealed record SearchRunsResponse(IReadOnlyList<Run>? Runs = null, string? NextPageToken = null);

internal sealed record MetricHistoryResponse(IReadOnlyList<Metric>? Metrics = null, string? NextPageToken = null);

internal sealed record RegisteredModelResponse(RegisteredModel RegisteredModel);

internal sealed record SearchRegisteredModelsResponse(IReadOnlyList<RegisteredModel>? RegisteredModels = null, string? NextPageToken = null);

internal sealed record ModelVersionResponse(ModelVersion ModelVersion);

internal sealed record ModelVersionsResponse(IReadOnlyList<ModelVersion>? ModelVersions = null, string? NextPageToken = null);

internal sealed record DownloadUriResponse(string ArtifactUri);

internal sealed record ListArtifactsResponse(IReadOnlyList<ArtifactFile>? Files = null);

internal sealed record ErrorResponse(string? ErrorCode = null, string? Message = null);

internal sealed record EmptyResponse;
