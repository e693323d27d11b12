using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Pipelines.Definition;
using Serverless.Schedules.Running;

namespace Serverless.Schedules.Http;

/// <summary>The schedules HTTP API (<c>/api/schedules</c>, <c>/api/pipelines/{name}/schedules/apply</c>).</summary>
public static class SchedulesApi
{
    /// <summary>Maps the schedule endpoints; needs <see cref="SchedulesServiceCollectionExtensions.AddSchedules"/>.</summary>
    public static IEndpointRouteBuilder MapSchedulesApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var api = endpoints.MapGroup("/api");
        api.MapGet("/schedules", async (string? pipeline, ScheduleManager manager, CancellationToken ct) =>
            Results.Ok(new { schedules = (await manager.ListAsync(string.IsNullOrEmpty(pipeline) ? null : pipeline, ct)).Select(ScheduleResponse.From) }));
        api.MapGet("/schedules/{id}", (string id, ScheduleManager manager, CancellationToken ct) =>
            Handle(async () => Results.Ok(ScheduleResponse.From(await manager.GetAsync(id, ct)))));
        api.MapPost("/schedules/{id}/pause", (string id, ScheduleManager manager, CancellationToken ct) =>
            Handle(async () => Results.Accepted(null, ScheduleResponse.From(await manager.PauseAsync(id, ct)))));
        api.MapPost("/schedules/{id}/resume", (string id, ScheduleManager manager, CancellationToken ct) =>
            Handle(async () => Results.Accepted(null, ScheduleResponse.From(await manager.ResumeAsync(id, ct)))));
        api.MapPost("/schedules/{id}/trigger", (string id, ScheduleManager manager, CancellationToken ct) =>
            Handle(async () =>
            {
                var runId = await manager.TriggerAsync(id, ct);
                return Results.Accepted($"/api/runs/{Uri.EscapeDataString(runId)}", new { runId });
            }));
        api.MapDelete("/schedules/{id}", (string id, ScheduleManager manager, CancellationToken ct) =>
            Handle(async () =>
            {
                await manager.DeleteAsync(id, ct);
                return Results.Ok(new { id, deleted = true });
            }));
        api.MapPost("/pipelines/{name}/schedules/apply", (string name, HttpRequest request, ScheduleManager manager, CancellationToken ct) =>
            Handle(async () =>
            {
                var version = await ReadVersionAsync(request, ct);
                var applied = await manager.ApplyAsync(name, version, ct);
                return Results.Ok(new { schedules = applied.Select(ScheduleResponse.From) });
            }));
        return endpoints;
    }

    private static async Task<string?> ReadVersionAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength is 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count == 0))
        {
            return null;
        }

        try
        {
            using var doc = await JsonDocument.ParseAsync(request.Body, cancellationToken: ct);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new BadRequestException("the body must be a JSON object such as {\"version\": \"...\"}");
            }

            if (!doc.RootElement.TryGetProperty("version", out var v) || v.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            return v.ValueKind == JsonValueKind.String ? v.GetString() : throw new BadRequestException("'version' must be a string");
        }
        catch (JsonException ex)
        {
            throw new BadRequestException($"the body is not valid JSON: {ex.Message}");
        }
    }

    private static async Task<IResult> Handle(Func<Task<IResult>> action)
    {
        try
        {
            return await action();
        }
        catch (ScheduleNotFoundException ex)
        {
            return Error(StatusCodes.Status404NotFound, "NOT_FOUND", ex.Message);
        }
        catch (KeyNotFoundException ex)
        {
            return Error(StatusCodes.Status404NotFound, "NOT_FOUND", ex.Message);
        }
        catch (BadRequestException ex)
        {
            return Error(StatusCodes.Status400BadRequest, "INVALID_ARGUMENT", ex.Message);
        }
        catch (PipelineValidationException ex)
        {
            return Error(StatusCodes.Status400BadRequest, "INVALID_ARGUMENT",
                $"the pipeline definition has {ex.Diagnostics.Count} problem(s)",
                ex.Diagnostics.Select(d => new { file = d.Mark.File, line = d.Mark.Line, column = d.Mark.Column, message = d.Message }));
        }
    }

    private static IResult Error(int status, string code, string message, object? details = null) =>
        Results.Json(new { error = new { code, message, details = details ?? Array.Empty<object>() } }, statusCode: status);

    private sealed class BadRequestException(string message) : Exception(message);
}
