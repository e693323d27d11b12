using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Tracking.Client;
using static Serverless.Tracking.Mlflow.MlflowHttp;

namespace Serverless.Tracking.Mlflow;

/// <summary>
/// Maps MLflow's REST API (tracking, model registry, artifact proxy) onto the services registered by
/// <see cref="TrackingServiceCollectionExtensions.AddTracking"/>, so the unmodified MLflow Python
/// client can use this host as its tracking URI.
/// </summary>
public static partial class MlflowEndpoints
{
    /// <summary>The MLflow version whose REST surface is implemented (served at <c>/version</c>).</summary>
    public const string CompatibleMlflowVersion = "2.12.2";

    private static readonly object s_empty = new Dictionary<string, object>();

    /// <summary>
    /// Maps <c>/api/2.0/mlflow/...</c> (and the UI's <c>/ajax-api/2.0/mlflow/...</c>),
    /// <c>/api/2.0/mlflow-artifacts/...</c> and <c>/version</c>. Unknown routes under those prefixes
    /// answer 404 with MLflow's error body.
    /// </summary>
    public static IEndpointRouteBuilder MapMlflowApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        foreach (var prefix in new[] { "/api/2.0", "/ajax-api/2.0" })
        {
            var mlflow = endpoints.MapGroup(prefix + "/mlflow");
            MapExperiments(mlflow);
            MapRuns(mlflow);
            MapRegistry(mlflow);
            MapArtifacts(endpoints.MapGroup(prefix + "/mlflow-artifacts"), mlflow);
            endpoints.Map(prefix + "/{**rest}", NotFoundAsync);
        }

        endpoints.MapGet("/version", () => Results.Text(CompatibleMlflowVersion));
        return endpoints;
    }

    private static async Task NotFoundAsync(HttpContext context)
    {
        // Kestrel folds '..' segments before routing, so a traversal attempt on the artifact proxy
        // can land here; answer it as the bad request it is.
        if (RawPath(context).Contains("/mlflow-artifacts/", StringComparison.OrdinalIgnoreCase) && HasDotSegments(RawPath(context)))
        {
            await WriteErrorAsync(context, TrackingException.Invalid("Invalid artifact path: '..' and '.' segments are not allowed."));
            return;
        }

        await WriteErrorAsync(context, new TrackingException(MlflowErrorCodes.EndpointNotFound, $"No API endpoint {context.Request.Method} {context.Request.Path}"));
    }

    private static void MapExperiments(RouteGroupBuilder g)
    {
        g.MapPost("experiments/create", Handle<CreateExperimentRequest>(async (r, c) =>
            new { ExperimentId = await Tracking(c).CreateExperimentAsync(r.Name, r.ArtifactLocation, r.Tags, c.RequestAborted) }));
        g.MapGet("experiments/get", Handle<ExperimentIdRequest>(async (r, c) =>
            new { Experiment = await Tracking(c).GetExperimentAsync(r.ExperimentId, c.RequestAborted) }));
        g.MapGet("experiments/get-by-name", Handle<GetExperimentByNameRequest>(async (r, c) =>
            new { Experiment = await Tracking(c).GetExperimentByNameAsync(r.ExperimentName, c.RequestAborted) }));
        g.MapMethods("experiments/search", ["GET", "POST"], Handle<SearchExperimentsRequest>(async (r, c) =>
        {
            var page = await Tracking(c).SearchExperimentsAsync(r.Filter, r.MaxResults, r.OrderBy, r.PageToken, r.ViewType, c.RequestAborted);
            return new { Experiments = NullIfEmpty(page.Items), page.NextPageToken };
        }));
        g.MapPost("experiments/update", Handle<UpdateExperimentRequest>(async (r, c) =>
        {
            await Tracking(c).RenameExperimentAsync(r.ExperimentId, r.NewName, c.RequestAborted);
            return s_empty;
        }));
        g.MapPost("experiments/delete", Handle<ExperimentIdRequest>(async (r, c) =>
        {
            await Tracking(c).DeleteExperimentAsync(r.ExperimentId, c.RequestAborted);
            return s_empty;
        }));
        g.MapPost("experiments/restore", Handle<ExperimentIdRequest>(async (r, c) =>
        {
            await Tracking(c).RestoreExperimentAsync(r.ExperimentId, c.RequestAborted);
            return s_empty;
        }));
        g.MapPost("experiments/set-experiment-tag", Handle<SetExperimentTagRequest>(async (r, c) =>
        {
            await Tracking(c).SetExperimentTagAsync(r.ExperimentId, r.Key, r.Value, c.RequestAborted);
            return s_empty;
        }));
    }

    private static void MapRuns(RouteGroupBuilder g)
    {
        g.MapPost("runs/create", Handle<CreateRunRequest>(async (r, c) =>
            new { Run = await Tracking(c).CreateRunAsync(r.ExperimentId, r.RunName, r.UserId, r.StartTime, r.Tags, ct: c.RequestAborted) }));
        g.MapPost("runs/update", Handle<UpdateRunRequest>(async (r, c) =>
            new { RunInfo = await Tracking(c).UpdateRunAsync(r.Id, r.Status, r.EndTime, r.RunName, c.RequestAborted) }));
        g.MapGet("runs/get", Handle<RunIdRequest>(async (r, c) =>
            new { Run = await Tracking(c).GetRunAsync(r.Id, c.RequestAborted) }));
        g.MapPost("runs/log-metric", Handle<LogMetricRequest>(async (r, c) =>
        {
            var key = Validation.Required(r.Key, "key");
            var value = r.Value ?? throw TrackingException.Invalid("Missing value for required parameter 'value'.");
            var timestamp = r.Timestamp ?? throw TrackingException.Invalid("Missing value for required parameter 'timestamp'.");
            await Tracking(c).LogMetricAsync(r.Id, new Metric(key, value, timestamp, r.Step ?? 0), c.RequestAborted);
            return s_empty;
        }));
        g.MapPost("runs/log-parameter", Handle<KeyValueRunRequest>(async (r, c) =>
        {
            await Tracking(c).LogParamAsync(r.Id, new Param(Validation.Required(r.Key, "key"), r.Value ?? throw TrackingException.Invalid("Missing value for required parameter 'value'.")), c.RequestAborted);
            return s_empty;
        }));
        g.MapPost("runs/set-tag", Handle<KeyValueRunRequest>(async (r, c) =>
        {
            await Tracking(c).SetTagAsync(r.Id, new Tag(Validation.Required(r.Key, "key"), r.Value ?? throw TrackingException.Invalid("Missing value for required parameter 'value'.")), c.RequestAborted);
            return s_empty;
        }));
        g.MapPost("runs/delete-tag", Handle<KeyValueRunRequest>(async (r, c) =>
        {
            await Tracking(c).DeleteTagAsync(r.Id, r.Key, c.RequestAborted);
            return s_empty;
        }));
        g.MapPost("runs/log-batch", Handle<LogBatchRequest>(async (r, c) =>
        {
            await Tracking(c).LogBatchAsync(r.RunId, r.Metrics, r.Params, r.Tags, c.RequestAborted);
            return s_empty;
        }));
        g.MapPost("runs/log-model", Handle<LogModelRequest>(async (r, c) =>
        {
            await Tracking(c).LogModelAsync(r.RunId, r.ModelJson, c.RequestAborted);
            return s_empty;
        }));
        g.MapPost("runs/log-inputs", Handle<LogInputsRequest>(async (r, c) =>
        {
            await Tracking(c).LogInputsAsync(r.RunId, r.Datasets, c.RequestAborted);
            return s_empty;
        }));
        g.MapPost("runs/delete", Handle<RunIdRequest>(async (r, c) =>
        {
            await Tracking(c).DeleteRunAsync(r.Id, c.RequestAborted);
            return s_empty;
        }));
        g.MapPost("runs/restore", Handle<RunIdRequest>(async (r, c) =>
        {
            await Tracking(c).RestoreRunAsync(r.Id, c.RequestAborted);
            return s_empty;
        }));
        g.MapMethods("runs/search", ["GET", "POST"], Handle<SearchRunsRequest>(async (r, c) =>
        {
            var page = await Tracking(c).SearchRunsAsync(r.ExperimentIds, r.Filter, r.MaxResults, r.OrderBy, r.PageToken, r.RunViewType, c.RequestAborted);
            return new { Runs = NullIfEmpty(page.Items), page.NextPageToken };
        }));
        g.MapGet("metrics/get-history-bulk-interval", Handle<GetMetricHistoryBulkIntervalRequest>(async (r, c) =>
        {
            var metrics = await Tracking(c).GetMetricHistoryBulkIntervalAsync(r.RunIds, r.MetricKey, r.StartStep, r.EndStep, r.MaxResults, c.RequestAborted);
            return new { Metrics = NullIfEmpty(metrics) };
        }));
        g.MapGet("metrics/get-history", Handle<GetMetricHistoryRequest>(async (r, c) =>
        {
            var page = await Tracking(c).GetMetricHistoryAsync(r.Id, r.MetricKey, r.MaxResults, r.PageToken, c.RequestAborted);
            return new { Metrics = NullIfEmpty(page.Items), page.NextPageToken };
        }));
    }

    private static TrackingService Tracking(HttpContext context) => context.RequestServices.GetRequiredService<TrackingService>();

    private static ModelRegistryService Registry(HttpContext context) => context.RequestServices.GetRequiredService<ModelRegistryService>();

    private static IReadOnlyList<T>? NullIfEmpty<T>(IReadOnlyList<T> items) => items.Count == 0 ? null : items;
}
