using Serverless.Tracking.Client;

namespace Serverless.Tracking.Mlflow;

// Request bodies of the tracking endpoints (mlflow/protos/service.proto). Every field is optional
// here so that a missing one is reported by the service with MLflow's message rather than by the
// deserializer; run_uuid is the deprecated alias of run_id that the Python client still sends.
internal sealed record CreateExperimentRequest(string? Name = null, string? ArtifactLocation = null, List<Tag>? Tags = null);

internal sealed record ExperimentIdRequest(string? ExperimentId = null);

internal sealed record GetExperimentByNameRequest(string? ExperimentName = null);

internal sealed record SearchExperimentsRequest(int? MaxResults = null, string? PageToken = null, string? Filter = null, List<string>? OrderBy = null, string? ViewType = null);

internal sealed record UpdateExperimentRequest(string? ExperimentId = null, string? NewName = null);

internal sealed record SetExperimentTagRequest(string? ExperimentId = null, string? Key = null, string? Value = null);

internal sealed record CreateRunRequest(string? ExperimentId = null, string? UserId = null, string? RunName = null, long? StartTime = null, List<Tag>? Tags = null);

internal sealed record UpdateRunRequest(string? RunId = null, string? RunUuid = null, string? Status = null, long? EndTime = null, string? RunName = null)
{
    public string? Id => RunId ?? RunUuid;
}

internal sealed record RunIdRequest(string? RunId = null, string? RunUuid = null)
{
    public string? Id => RunId ?? RunUuid;
}

internal sealed record LogMetricRequest(string? RunId = null, string? RunUuid = null, string? Key = null, double? Value = null, long? Timestamp = null, long? Step = null)
{
    public string? Id => RunId ?? RunUuid;
}

internal sealed record KeyValueRunRequest(string? RunId = null, string? RunUuid = null, string? Key = null, string? Value = null)
{
    public string? Id => RunId ?? RunUuid;
}

internal sealed record LogBatchRequest(string? RunId = null, List<Metric>? Metrics = null, List<Param>? Params = null, List<Tag>? Tags = null);

internal sealed record LogModelRequest(string? RunId = null, string? ModelJson = null);

internal sealed record LogInputsRequest(string? RunId = null, List<DatasetInput>? Datasets = null);

internal sealed record SearchRunsRequest(List<string>? ExperimentIds = null, string? Filter = null, string? RunViewType = null, int? MaxResults = null, List<string>? OrderBy = null, string? PageToken = null);

internal sealed record GetMetricHistoryRequest(string? RunId = null, string? RunUuid = null, string? MetricKey = null, string? PageToken = null, int? MaxResults = null)
{
    public string? Id => RunId ?? RunUuid;
}

internal sealed record GetMetricHistoryBulkIntervalRequest(List<string>? RunIds = null, string? MetricKey = null, long? StartStep = null, long? EndStep = null, int? MaxResults = null);

internal sealed record ListArtifactsRequest(string? RunId = null, string? RunUuid = null, string? Path = null, string? PageToken = null)
{
    public string? Id => RunId ?? RunUuid;
}
