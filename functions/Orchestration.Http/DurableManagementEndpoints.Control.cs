using Microsoft.AspNetCore.Http;
using static Serverless.Orchestration.Http.ManagementHttp;

namespace Serverless.Orchestration.Http;

/// <summary>The routes that change instances: events, terminate, suspend, resume, restart, purge; and poison inspection.</summary>
public static partial class DurableManagementEndpoints
{
    private static async Task RaiseEventAsync(HttpContext context, OrchestrationClient client)
    {
        var id = ManagementRequest.InstanceId(context);
        var eventName = context.Request.RouteValues["eventName"] as string;
        if (string.IsNullOrWhiteSpace(eventName))
        {
            throw new ManagementApiException(400, ManagementErrorCodes.InvalidParameter, "Route value 'eventName' must not be empty.");
        }

        var data = await ManagementRequest.ReadJsonBodyAsync(context.Request, context.RequestAborted);
        await client.RaiseEventRawAsync(id, eventName, data, context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status202Accepted;
    }

    private static async Task TerminateAsync(HttpContext context, OrchestrationClient client)
    {
        await client.TerminateAsync(ManagementRequest.InstanceId(context), ManagementRequest.Text(context.Request, "reason"), context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status202Accepted;
    }

    private static async Task SuspendAsync(HttpContext context, OrchestrationClient client)
    {
        await client.SuspendAsync(ManagementRequest.InstanceId(context), ManagementRequest.Text(context.Request, "reason"), context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status202Accepted;
    }

    private static async Task ResumeAsync(HttpContext context, OrchestrationClient client)
    {
        await client.ResumeAsync(ManagementRequest.InstanceId(context), ManagementRequest.Text(context.Request, "reason"), context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status202Accepted;
    }

    private static async Task RestartAsync(HttpContext context, OrchestrationClient client)
    {
        var id = ManagementRequest.InstanceId(context);

        // Durable Functions restarts under a new id unless told otherwise.
        var newId = ManagementRequest.Bool(context.Request, "restartWithNewInstanceId", true);
        var restarted = await client.RestartAsync(id, newId, context.RequestAborted);
        await WriteAcceptedAsync(context, restarted);
    }

    private static Task RewindAsync(HttpContext context, OrchestrationClient client)
    {
        _ = ManagementRequest.InstanceId(context);
        throw new ManagementApiException(501, ManagementErrorCodes.NotSupported,
            "Rewind is not supported by this engine; use restart to run a failed instance again with its original input.");
    }

    private static async Task PurgeOneAsync(HttpContext context, OrchestrationClient client)
    {
        var id = ManagementRequest.InstanceId(context);
        bool deleted;
        try
        {
            deleted = await client.PurgeInstanceAsync(id, context.RequestAborted);
        }
        catch (InstanceStateException e)
        {
            throw new ManagementApiException(409, ManagementErrorCodes.InstanceNotFinished,
                $"{e.Message} Terminate it first, or wait for it to finish.");
        }

        if (!deleted)
        {
            throw new InstanceNotFoundException(id);
        }

        await WriteDeletedAsync(context, StatusCodes.Status200OK, 1);
    }

    private static async Task PurgeManyAsync(HttpContext context, OrchestrationClient client)
    {
        var request = context.Request;

        // As in Durable Functions, a purge needs a lower bound, so a bare DELETE never empties the hub.
        if (ManagementRequest.Date(request, "createdTimeFrom") is null)
        {
            throw ManagementApiException.BadParameter("createdTimeFrom",
                "is required to purge by filter (use 0001-01-01 to include every instance created before createdTimeTo).");
        }

        var (from, to) = ManagementRequest.CreatedRange(request);
        var statuses = ManagementRequest.Statuses(request, "runtimeStatus");
        if (statuses?.Where(s => !s.IsTerminal()).Select(s => (OrchestrationStatus?)s).FirstOrDefault() is { } live)
        {
            throw ManagementApiException.BadParameter("runtimeStatus",
                $"'{live}' instances cannot be purged; only Completed, Failed, Terminated and Canceled ones can.");
        }

        var deleted = await client.PurgeInstancesAsync(new PurgeFilter { CreatedFrom = from, CreatedTo = to, Statuses = statuses }, context.RequestAborted);
        if (deleted == 0)
        {
            // Durable Functions answers 404 when nothing matched; the body still says so in the usual error shape.
            await WriteJsonAsync(context, StatusCodes.Status404NotFound, w =>
            {
                w.WriteStartObject();
                w.WriteString("error", "No finished instance matched the purge filter.");
                w.WriteString("code", ManagementErrorCodes.NoInstancesMatched);
                w.WriteNumber("instancesDeleted", 0);
                w.WriteEndObject();
            });
            return;
        }

        await WriteDeletedAsync(context, StatusCodes.Status200OK, deleted);
    }

    private static Task WriteDeletedAsync(HttpContext context, int status, int count) =>
        WriteJsonAsync(context, status, w =>
        {
            w.WriteStartObject();
            w.WriteNumber("instancesDeleted", count);
            w.WriteEndObject();
        });

    /// <summary>
    /// Our extension: the messages for this instance that the engine gave up on (newest first). An
    /// empty array when there are none, also for unknown ids, because poison can outlive its instance.
    /// </summary>
    private static async Task GetPoisonAsync(HttpContext context, OrchestrationClient client)
    {
        var id = ManagementRequest.InstanceId(context);
        var messages = await client.GetPoisonMessagesAsync(id, context.RequestAborted);
        await WriteJsonAsync(context, StatusCodes.Status200OK, w =>
        {
            w.WriteStartArray();
            foreach (var m in messages)
            {
                w.WriteStartObject();
                w.WriteString("instanceId", m.InstanceId);
                w.WriteString("queue", m.Queue);
                w.WriteString("reason", m.Reason);
                w.WriteNumber("dequeueCount", m.DequeueCount);
                w.WritePropertyName("message");
                StatusJson.WritePayloadValue(w, m.Message);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        });
    }
}
