using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using static Serverless.Orchestration.Http.ManagementHttp;

namespace Serverless.Orchestration.Http;

/// <summary>
/// Durable Functions' HTTP management API (<c>/runtime/webhooks/durabletask/...</c>) over this
/// repository's orchestration engine, so the same scripts, tools and HTTP-start clients work against it.
/// See README.md beside this file for every route, status code and body.
/// </summary>
public static partial class DurableManagementEndpoints
{
    /// <summary>The path every management route lives under, as in Durable Functions.</summary>
    public const string RoutePrefix = "/runtime/webhooks/durabletask";

    /// <summary>
    /// Maps the management API. Requests resolve an <see cref="OrchestrationClient"/> from the request
    /// services, or else a <see cref="DurableEngine"/> and use its client; when an
    /// <see cref="OrchestrationRegistry"/> is registered too, starts of unregistered orchestrators are refused.
    /// </summary>
    public static IEndpointRouteBuilder MapDurableManagementApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var api = endpoints.MapGroup(RoutePrefix);
        api.MapPost("orchestrators/{functionName}/{instanceId?}", Handle(StartAsync));
        api.MapGet("instances", Handle(ListAsync));
        api.MapDelete("instances", Handle(PurgeManyAsync));
        api.MapGet("instances/{instanceId}", Handle(GetStatusAsync));
        api.MapDelete("instances/{instanceId}", Handle(PurgeOneAsync));
        api.MapPost("instances/{instanceId}/raiseEvent/{eventName}", Handle(RaiseEventAsync));
        api.MapPost("instances/{instanceId}/terminate", Handle(TerminateAsync));
        api.MapPost("instances/{instanceId}/suspend", Handle(SuspendAsync));
        api.MapPost("instances/{instanceId}/resume", Handle(ResumeAsync));
        api.MapPost("instances/{instanceId}/restart", Handle(RestartAsync));
        api.MapPost("instances/{instanceId}/rewind", Handle(RewindAsync));
        api.MapGet("instances/{instanceId}/poison", Handle(GetPoisonAsync));
        api.Map("{**rest}", context => WriteErrorAsync(context, 404, ManagementErrorCodes.EndpointNotFound,
            $"No durable management endpoint for {context.Request.Method} {context.Request.Path}."));
        return endpoints;
    }

    private static async Task StartAsync(HttpContext context, OrchestrationClient client)
    {
        var name = context.Request.RouteValues["functionName"] as string ?? string.Empty;
        var instanceId = context.Request.RouteValues.ContainsKey("instanceId") ? ManagementRequest.InstanceId(context) : null;
        if (context.RequestServices.GetService<OrchestrationRegistry>() is { } registry && !registry.TryGetOrchestrator(name, out _))
        {
            var known = string.Join(", ", registry.OrchestratorNames.Order(StringComparer.OrdinalIgnoreCase));
            throw new ManagementApiException(400, ManagementErrorCodes.UnknownOrchestrator,
                $"Route value 'functionName': no orchestrator named '{name}' is registered; registered: {(known.Length > 0 ? known : "none")}.");
        }

        var input = await ManagementRequest.ReadJsonBodyAsync(context.Request, context.RequestAborted);
        var id = await client.StartNewRawAsync(name, input, new StartOrchestrationOptions { InstanceId = instanceId }, context.RequestAborted);
        await WriteAcceptedAsync(context, id);
    }

    /// <summary>202 with the management payload, <c>Location</c> on the status URL and a 10-second <c>Retry-After</c>.</summary>
    private static Task WriteAcceptedAsync(HttpContext context, string instanceId)
    {
        var payload = HttpManagementPayload.For(context.Request, instanceId);
        context.Response.Headers.Location = payload.StatusQueryGetUri;
        context.Response.Headers.RetryAfter = "10";
        return WriteJsonAsync(context, StatusCodes.Status202Accepted, w => JsonSerializer.Serialize(w, payload, PayloadJsonContext.Default.HttpManagementPayload));
    }

    private static async Task GetStatusAsync(HttpContext context, OrchestrationClient client)
    {
        var id = ManagementRequest.InstanceId(context);
        var request = context.Request;
        var showHistory = ManagementRequest.Bool(request, "showHistory", false);
        var showHistoryOutput = ManagementRequest.Bool(request, "showHistoryOutput", false);
        var showInput = ManagementRequest.Bool(request, "showInput", true);
        var failOnFailure = ManagementRequest.Bool(request, "returnInternalServerErrorOnFailure", false);

        var instance = await client.GetInstanceAsync(id, fetchInputsAndOutputs: true, context.RequestAborted)
            ?? throw new InstanceNotFoundException(id);
        var history = showHistory ? await client.GetHistoryAsync(id, context.RequestAborted) ?? [] : null;

        var status = instance.RuntimeStatus switch
        {
            OrchestrationStatus.Running or OrchestrationStatus.Pending or OrchestrationStatus.ContinuedAsNew or OrchestrationStatus.Suspended => StatusCodes.Status202Accepted,
            OrchestrationStatus.Failed when failOnFailure => StatusCodes.Status500InternalServerError,
            _ => StatusCodes.Status200OK,
        };
        if (status == StatusCodes.Status202Accepted)
        {
            // Polling clients follow Location until the instance stops answering 202.
            context.Response.Headers.Location = $"{request.Scheme}://{request.Host.ToUriComponent()}{request.PathBase.ToUriComponent()}{request.Path.ToUriComponent()}{request.QueryString.ToUriComponent()}";
            context.Response.Headers.RetryAfter = "5";
        }

        await WriteJsonAsync(context, status, w => StatusJson.Write(w, instance, showInput, history, showHistoryOutput));
    }

    private static async Task ListAsync(HttpContext context, OrchestrationClient client)
    {
        var request = context.Request;
        var (from, to) = ManagementRequest.CreatedRange(request);
        var query = new OrchestrationQuery
        {
            CreatedFrom = from,
            CreatedTo = to,
            Statuses = ManagementRequest.Statuses(request, "runtimeStatus"),
            InstanceIdPrefix = ManagementRequest.Text(request, "instanceIdPrefix"),
            PageSize = ManagementRequest.Top(request, "top") ?? 100,
            FetchInputsAndOutputs = ManagementRequest.Bool(request, "showInput", false),
            ContinuationToken = ContinuationTokens.Unwrap(request.Headers[ManagementRequest.ContinuationHeader].ToString()),
        };

        var page = await client.QueryInstancesAsync(query, context.RequestAborted);
        if (page.ContinuationToken is { Length: > 0 } next)
        {
            context.Response.Headers[ManagementRequest.ContinuationHeader] = ContinuationTokens.Wrap(next);
        }

        await WriteJsonAsync(context, StatusCodes.Status200OK, w =>
        {
            w.WriteStartArray();
            foreach (var instance in page.Instances)
            {
                StatusJson.Write(w, instance, query.FetchInputsAndOutputs);
            }

            w.WriteEndArray();
        });
    }
}
