using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Orchestration;
using Serverless.Orchestration.AzureStorage;
using Serverless.Pipelines.Attempts;

namespace Serverless.Sweeps.Orchestration;

/// <summary>
/// The sweep leaderboard and controls over HTTP:
/// <c>GET /api/runs/{runId}/steps/{stepKey}/sweep</c>, <c>POST …/sweep/stop</c> (body <c>{"cancelRunning": bool}</c>),
/// <c>POST …/sweep/pause</c> and <c>POST …/sweep/resume</c>; and the same under <c>/api/sweeps/{instanceId}</c>
/// for a sweep addressed by its orchestration instance.
/// </summary>
public static class SweepsEndpoints
{
    /// <summary>Highest step attempt probed when looking up a run step's sweep.</summary>
    private const int MaxAttemptsProbed = 20;

    /// <summary>Maps the sweep endpoints. Needs an <see cref="OrchestrationClient"/> or a <see cref="DurableEngine"/> in the services.</summary>
    public static IEndpointRouteBuilder MapSweepsApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/api/runs/{runId}/steps/{stepKey}/sweep", (HttpContext http, string runId, string stepKey) =>
            GetAsync(http, c => FindAsync(c, runId, stepKey), $"run '{runId}' has no swept step '{stepKey}'"));
        endpoints.MapPost("/api/runs/{runId}/steps/{stepKey}/sweep/{action}", (HttpContext http, string runId, string stepKey, string action) =>
            ControlAsync(http, action, c => FindAsync(c, runId, stepKey), $"run '{runId}' has no swept step '{stepKey}'"));
        endpoints.MapGet("/api/sweeps/{instanceId}", (HttpContext http, string instanceId) =>
            GetAsync(http, c => FindByIdAsync(c, instanceId), $"no sweep '{instanceId}'"));
        endpoints.MapPost("/api/sweeps/{instanceId}/{action}", (HttpContext http, string instanceId, string action) =>
            ControlAsync(http, action, c => FindByIdAsync(c, instanceId), $"no sweep '{instanceId}'"));
        return endpoints;
    }

    private static async Task<IResult> GetAsync(HttpContext http, Func<OrchestrationClient, Task<OrchestrationMetadata?>> find, string notFound)
    {
        var client = Client(http);
        var found = await find(client);

        // Found without payloads; a large custom status lives in a blob, so read the instance in full once.
        var instance = found is null ? null : await client.GetInstanceAsync(found.InstanceId, fetchInputsAndOutputs: true, http.RequestAborted);
        if (instance is null)
        {
            return Error(404, "NOT_FOUND", notFound);
        }

        var view = string.IsNullOrEmpty(instance.SerializedCustomStatus)
            ? new JsonObject { ["status"] = "Pending", ["trials"] = new JsonArray(), ["best"] = null, ["importance"] = new JsonObject() }
            : JsonNode.Parse(instance.SerializedCustomStatus)!.AsObject();

        // The orchestrator publishes its final status itself; an instance that crashed or was terminated cannot.
        if (instance.RuntimeStatus is OrchestrationStatus.Failed or OrchestrationStatus.Terminated)
        {
            view["status"] = instance.RuntimeStatus == OrchestrationStatus.Failed ? "Failed" : "Cancelled";
            view["reason"] = instance.Failure?.Message ?? "the sweep orchestration was terminated";
        }

        view["instanceId"] = instance.InstanceId;
        return Results.Text(view.ToJsonString(), "application/json", statusCode: 200);
    }

    private static async Task<IResult> ControlAsync(HttpContext http, string action, Func<OrchestrationClient, Task<OrchestrationMetadata?>> find, string notFound)
    {
        var eventName = action switch
        {
            "stop" => SweepEvents.Stop,
            "pause" => SweepEvents.Pause,
            "resume" => SweepEvents.Resume,
            _ => null,
        };
        if (eventName is null)
        {
            return Error(404, "NOT_FOUND", $"unknown sweep action '{action}'; use stop, pause or resume");
        }

        SweepStopRequest? stop = null;
        if (action == "stop")
        {
            try
            {
                stop = http.Request.ContentLength is 0 or null && http.Request.Headers.TransferEncoding.Count == 0
                    ? new SweepStopRequest()
                    : await JsonSerializer.DeserializeAsync<SweepStopRequest>(http.Request.Body, DataConverter.Options, http.RequestAborted) ?? new SweepStopRequest();
            }
            catch (JsonException ex)
            {
                return Error(400, "INVALID_ARGUMENT", $"the body must be {{\"cancelRunning\": true|false}}: {ex.Message}");
            }
        }

        var client = Client(http);
        var instance = await find(client);
        if (instance is null)
        {
            return Error(404, "NOT_FOUND", notFound);
        }

        if (instance.RuntimeStatus.IsTerminal())
        {
            return Error(409, "CONFLICT", $"the sweep '{instance.InstanceId}' has already finished ({instance.RuntimeStatus})");
        }

        await client.RaiseEventAsync(instance.InstanceId, eventName, stop, http.RequestAborted);
        return Results.Json(new { id = instance.InstanceId, action }, DataConverter.Options, statusCode: 202);
    }

    /// <summary>
    /// A run step's sweep is the sub-orchestration with the step attempt's deterministic id; the latest attempt
    /// wins. Attempts are numbered from 1 without gaps, so probing stops at the first missing one.
    /// </summary>
    private static async Task<OrchestrationMetadata?> FindAsync(OrchestrationClient client, string runId, string stepKey)
    {
        OrchestrationMetadata? latest = null;
        for (var attempt = 1; attempt <= MaxAttemptsProbed; attempt++)
        {
            var id = StepAttempts.InstanceId(runId, stepKey, attempt);
            var instance = InstanceIds.GetProblem(id) is null ? await client.GetInstanceAsync(id, fetchInputsAndOutputs: false) : null;
            if (instance is null)
            {
                break;
            }

            if (string.Equals(instance.Name, StepAttempts.SweepOrchestration, StringComparison.OrdinalIgnoreCase))
            {
                latest = instance;
            }
        }

        return latest;
    }

    private static async Task<OrchestrationMetadata?> FindByIdAsync(OrchestrationClient client, string instanceId)
    {
        if (InstanceIds.GetProblem(instanceId) is not null)
        {
            return null;
        }

        var instance = await client.GetInstanceAsync(instanceId, fetchInputsAndOutputs: false);
        return instance is not null && string.Equals(instance.Name, StepAttempts.SweepOrchestration, StringComparison.OrdinalIgnoreCase)
            ? instance
            : null;
    }

    private static OrchestrationClient Client(HttpContext http) =>
        http.RequestServices.GetService<OrchestrationClient>()
        ?? http.RequestServices.GetService<DurableEngine>()?.Client
        ?? throw new InvalidOperationException("the sweeps API needs a DurableEngine or an OrchestrationClient in the host's services");

    private static IResult Error(int status, string code, string message) =>
        Results.Json(new { error = new { code, message, details = Array.Empty<object>() } }, DataConverter.Options, statusCode: status);
}
