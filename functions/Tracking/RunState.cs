using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Serverless.Tracking.Client;

namespace Serverless.Tracking;

/// <summary>
/// A run as one Table row: info columns plus params, tags, latest metrics and inputs as JSON
/// columns, so that search reads exactly one row per run and never touches metric history.
/// </summary>
internal sealed class RunState
{
    public const string RunNameTag = "mlflow.runName";

    public required string RunId { get; init; }

    public required string ExperimentId { get; init; }

    public string? RunName { get; set; }

    public string? UserId { get; set; }

    public string Status { get; set; } = "RUNNING";

    public long StartTime { get; set; }

    public long? EndTime { get; set; }

    public string ArtifactUri { get; set; } = "";

    public string LifecycleStage { get; set; } = Tracking.LifecycleStage.Active;

    public Dictionary<string, string> Params { get; private set; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> Tags { get; private set; } = new(StringComparer.Ordinal);

    public Dictionary<string, LatestMetric> Metrics { get; private set; } = new(StringComparer.Ordinal);

    public List<DatasetInput> Inputs { get; private set; } = [];

    public ETag ETag { get; set; }

    /// <summary>The whole row a search read but only projected; parsed in full when the run reaches the page.</summary>
    public TableEntity? Source { get; set; }

    public RunState Clone() => new()
    {
        RunId = RunId,
        ExperimentId = ExperimentId,
        RunName = RunName,
        UserId = UserId,
        Status = Status,
        StartTime = StartTime,
        EndTime = EndTime,
        ArtifactUri = ArtifactUri,
        LifecycleStage = LifecycleStage,
        Params = new(Params, StringComparer.Ordinal),
        Tags = new(Tags, StringComparer.Ordinal),
        Metrics = new(Metrics, StringComparer.Ordinal),
        Inputs = [.. Inputs],
        ETag = ETag,
    };

    public void EnsureActive()
    {
        if (LifecycleStage != Tracking.LifecycleStage.Active)
        {
            throw TrackingException.Invalid($"The run {RunId} must be in the 'active' state. Current state is {LifecycleStage}.");
        }
    }

    /// <summary>Keeps the newer of the stored latest point and <paramref name="metric"/>, as MLflow orders them.</summary>
    public void OfferLatest(Metric metric)
    {
        var candidate = new LatestMetric(metric.Value, metric.Timestamp, metric.Step);
        if (!Metrics.TryGetValue(metric.Key, out var current) || candidate.IsNewerThan(current))
        {
            Metrics[metric.Key] = candidate;
        }
    }

    public TableEntity ToEntity()
    {
        var entity = new TableEntity(ExperimentId, RunId)
        {
            ["RunName"] = RunName,
            ["UserId"] = UserId,
            ["Status"] = Status,
            ["StartTime"] = StartTime,
            ["EndTime"] = EndTime,
            ["ArtifactUri"] = ArtifactUri,
            ["LifecycleStage"] = LifecycleStage,
        };
        ChunkedColumn.Write(entity, "Params", JsonSerializer.Serialize(Params, MlflowJson.Options));
        ChunkedColumn.Write(entity, "Tags", JsonSerializer.Serialize(Tags, MlflowJson.Options));
        ChunkedColumn.Write(entity, "Metrics", JsonSerializer.Serialize(Metrics, MlflowJson.Options));
        ChunkedColumn.Write(entity, "Inputs", Inputs.Count == 0 ? "" : JsonSerializer.Serialize(Inputs, MlflowJson.Options));
        MetricColumns.Write(entity, Metrics);
        return entity;
    }

    public static RunState FromEntity(TableEntity entity)
    {
        var state = new RunState
        {
            RunId = entity.RowKey,
            ExperimentId = entity.PartitionKey,
            RunName = entity.GetString("RunName"),
            UserId = entity.GetString("UserId"),
            Status = entity.GetString("Status") ?? "RUNNING",
            StartTime = entity.GetInt64("StartTime") ?? 0,
            EndTime = entity.GetInt64("EndTime"),
            ArtifactUri = entity.GetString("ArtifactUri") ?? "",
            LifecycleStage = entity.GetString("LifecycleStage") ?? Tracking.LifecycleStage.Active,
            ETag = entity.ETag,
        };
        state.Params = ReadMap<string>(entity, "Params");
        state.Tags = ReadMap<string>(entity, "Tags");
        state.Metrics = ReadMap<LatestMetric>(entity, "Metrics");
        if (ChunkedColumn.Read(entity, "Inputs") is { Length: > 0 } inputs)
        {
            state.Inputs = JsonSerializer.Deserialize<List<DatasetInput>>(inputs, MlflowJson.Options) ?? [];
        }

        return state;
    }

    public RunInfo ToInfo() => new()
    {
        RunId = RunId,
        RunUuid = RunId,
        ExperimentId = ExperimentId,
        RunName = RunName,
        UserId = UserId,
        Status = Status,
        StartTime = StartTime,
        EndTime = EndTime,
        ArtifactUri = ArtifactUri,
        LifecycleStage = LifecycleStage,
    };

    public Run ToRun() => new()
    {
        Info = ToInfo(),
        Data = new RunData
        {
            Metrics = Metrics.Count == 0 ? null : Metrics.Select(m => new Metric(m.Key, m.Value.Value, m.Value.Timestamp, m.Value.Step)).ToList(),
            Params = Params.Count == 0 ? null : Params.Select(p => new Param(p.Key, p.Value)).ToList(),
            Tags = Tags.Count == 0 ? null : Tags.Select(t => new Tag(t.Key, t.Value)).ToList(),
        },
        Inputs = new RunInputs { DatasetInputs = Inputs.Count == 0 ? null : Inputs },
    };

    private static Dictionary<string, T> ReadMap<T>(TableEntity entity, string column) =>
        ChunkedColumn.Read(entity, column) is { Length: > 0 } json
            ? new Dictionary<string, T>(JsonSerializer.Deserialize<Dictionary<string, T>>(json, MlflowJson.Options) ?? [], StringComparer.Ordinal)
            : new(StringComparer.Ordinal);
}
