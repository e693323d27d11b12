using Serverless.Tracking.Client;

namespace Serverless.Tracking.Mlflow;

// Request bodies of the tracking endpoints (mlflow/protos/service.proto). Every field is optional
// here so that a missing one is reported by the service with MLflow's message rather than by the
// deserializer; run_uuid is the deprecated alias of run_id that the Python client still sends.
internal sealed record CreateExperimentRequest(string? Name, string? ArtifactLocation, List<Tag>? Tags);

internal sealed record ExperimentIdRequest(string? ExperimentId);

internal sealed record GetExperimentByNameRequest(string? ExperimentName);

internal sealed record SearchExperimentsRequest(int? MaxResults, string? PageToken, string? Filter, List<string>? OrderBy, string? ViewType);

internal sealed record UpdateExperimentRequest(string? ExperimentId, string? NewName);

internal sealed record SetExperimentTagRequest(string? ExperimentId, string? Key, string? Value);

internal sealed record CreateRunRequest(string? ExperimentId, string? UserId, string? RunName, long? StartTime, List<Tag>? Tags);

internal sealed record UpdateRunRequest(string? RunId, string? RunUuid, string? Status, long? EndTime, string? RunName)
{
    public string? Id => RunId ?? RunUuid;
}

internal sealed record RunIdRequest(string? RunId, string? RunUuid)
{
    public string? Id => RunId ?? RunUuid;
}

internal sealed record LogMetricRequest(string? RunId, string? RunUuid, string? Key, double? Value, long? Timestamp, long? Step)
{
    public string? Id => RunId ?? RunUuid;
}

internal sealed record KeyValueRunRequest(string? RunId, string? RunUuid, string? Key, string? Value)
{
    public string? Id => RunId ?? RunUuid;
}

internal sealed record LogBatchRequest(string? RunId, List<Metric>? Metrics, List<Param>? Params, List<Tag>? Tags);

internal sealed record LogModelRequest(string? RunId, string? ModelJson);

internal sealed record LogInputsRequest(string? RunId, List<DatasetInput>? Datasets);

internal sealed record SearchRunsRequest(List<string>? ExperimentIds, string? Filter, string? RunViewType, int? MaxResults, List<string>? OrderBy, string? PageToken);

internal sealed record GetMetricHistoryRequest(string? RunId, string? RunUuid, string? MetricKey, string? PageToken, int? MaxResults)
{
    public string? Id => RunId ?? RunUuid;
}

internal sealed record ListArtifactsRequest(string? RunId, string? RunUuid, string? Path, string? PageToken)
{
    public string? Id => RunId ?? RunUuid;
}
