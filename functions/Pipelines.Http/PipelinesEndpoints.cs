using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Orchestration;
using Serverless.Pipelines.Orchestration;
using Serverless.Pipelines.Packaging;
using Serverless.Pipelines.Parsing;

namespace Serverless.Pipelines.Http;

/// <summary>
/// The pipelines and runs HTTP API (see docs/pipelines.md, "Running"): validate, publish a zip, list, start,
/// read, cancel, re-run and read logs. Errors use <c>{"error": {"code", "message", "details"}}</c>.
/// </summary>
public static partial class PipelinesEndpoints
{
    private const long MaxPackageBytes = 512L * 1024 * 1024;

    /// <summary>Maps the API under <c>/api/pipelines</c> and <c>/api/runs</c>.</summary>
    public static IEndpointRouteBuilder MapPipelinesApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost("/api/pipelines/validate", Handle(ValidateAsync));
        app.MapPut("/api/pipelines/{name}/package", Handle(PublishAsync));
        app.MapGet("/api/pipelines", Handle(ListPipelinesAsync));
        app.MapGet("/api/pipelines/{name}", Handle(GetPipelineAsync));
        app.MapPost("/api/pipelines/{name}/runs", Handle(StartRunAsync));
        app.MapGet("/api/runs", Handle(ListRunsAsync));
        app.MapGet("/api/runs/{runId}", Handle(GetRunAsync));
        app.MapPost("/api/runs/{runId}/cancel", Handle(CancelRunAsync));
        app.MapPost("/api/runs/{runId}/rerun", Handle(RerunAsync));
        app.MapGet("/api/runs/{runId}/steps/{stepKey}/logs", Handle(LogsAsync));
        return app;
    }

    private static RequestDelegate Handle(Func<HttpContext, Task> handler) => async context =>
    {
        try
        {
            await handler(context);
        }
        catch (PipelineRunException ex)
        {
            await WriteErrorAsync(context, ex.Code, ex.Message, ex.Details);
        }
        catch (JsonException ex)
        {
            await WriteErrorAsync(context, PipelineRunException.InvalidArgument, BodyProblem(ex), []);
        }
        catch (BadHttpRequestException ex)
        {
            await WriteErrorAsync(context, PipelineRunException.InvalidArgument, ex.Message, []);
        }
    };

    // The serializer's own message names .NET types ("System.Nullable`1[System.Boolean]"); a caller needs the
    // field and the place.
    private static string BodyProblem(JsonException ex)
    {
        var at = $"line {(ex.LineNumber ?? 0) + 1}, column {(ex.BytePositionInLine ?? 0) + 1}";
        var field = ex.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : null;
        return field is not null && ex.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal)
            ? $"the request body's '{field}' has the wrong type ({at})"
            : $"the request body is not valid JSON ({at}{(field is null ? string.Empty : $", at '{field}'")})";
    }

    private static async Task ValidateAsync(HttpContext context)
    {
        var yaml = await new StreamReader(context.Request.Body).ReadToEndAsync(context.RequestAborted);
        var result = PipelineParser.Parse(yaml, PipelinePackager.DefinitionFileName);
        await WriteJsonAsync(context, StatusCodes.Status200OK, new { valid = result.IsValid, diagnostics = PipelineRuns.Diagnostics(result.Diagnostics) });
    }

    private static async Task PublishAsync(HttpContext context)
    {
        var name = (string)context.Request.RouteValues["name"]!;
        var runs = Runs(context);
        var temp = Directory.CreateTempSubdirectory("pipeline-upload-").FullName;
        try
        {
            var zipPath = Path.Combine(temp, "package.zip");
            await using (var file = File.Create(zipPath))
            {
                await CopyLimitedAsync(context.Request.Body, file, MaxPackageBytes, context.RequestAborted);
            }

            var extracted = Path.Combine(temp, "src");
            try
            {
                // ExtractToDirectory refuses entries that would land outside the folder (../ in names).
                ZipFile.ExtractToDirectory(zipPath, extracted);
            }
            catch (InvalidDataException ex)
            {
                throw new PipelineRunException(PipelineRunException.InvalidArgument, $"body: not a zip archive ({ex.Message})");
            }
            catch (IOException ex)
            {
                throw new PipelineRunException(PipelineRunException.InvalidArgument, $"body: the zip cannot be extracted ({ex.Message})");
            }

            string folder;
            try
            {
                folder = UploadLayout.Locate(extracted) ?? throw new PipelineRunException(PipelineRunException.InvalidArgument,
                    $"body: the zip has no {PipelinePackager.DefinitionFileName} at its root (or in its single top-level folder)");
            }
            catch (InvalidOperationException ex)
            {
                throw new PipelineRunException(PipelineRunException.InvalidArgument, $"body: {ex.Message}");
            }

            var published = await runs.PublishFolderAsync(folder, name, uploadRoot: extracted, context.RequestAborted);
            var m = published.Manifest;
            await WriteJsonAsync(context, StatusCodes.Status200OK, new
            {
                pipeline = m.Pipeline,
                version = m.Version,
                definitionDigest = m.DefinitionDigest,
                codeDigest = m.CodeDigest,
                gitCommit = m.GitCommit,
                created = published.Created,
            });
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }
    }

    private static async Task ListPipelinesAsync(HttpContext context)
    {
        var packager = Runs(context).Packages.Packager;
        var list = new List<object>();
        foreach (var name in await packager.ListPipelinesAsync(context.RequestAborted))
        {
            var versions = await packager.ListAsync(name, context.RequestAborted);
            if (versions.Count > 0)
            {
                list.Add(new { name, latestVersion = versions[0].Version, publishedAt = versions[0].PublishedAt });
            }
        }

        await WriteJsonAsync(context, StatusCodes.Status200OK, new { pipelines = list });
    }

    private static async Task GetPipelineAsync(HttpContext context)
    {
        var name = (string)context.Request.RouteValues["name"]!;
        var versions = await Runs(context).Packages.Packager.ListAsync(name, context.RequestAborted);
        if (versions.Count == 0)
        {
            throw new PipelineRunException(PipelineRunException.NotFound, $"pipeline '{name}' is not published");
        }

        await WriteJsonAsync(context, StatusCodes.Status200OK, new
        {
            name,
            versions = versions.Select(v => new
            {
                version = v.Version,
                publishedAt = v.PublishedAt,
                definitionDigest = v.DefinitionDigest,
                codeDigest = v.CodeDigest,
                gitCommit = v.GitCommit,
                gitDirty = v.GitDirty,
                buildInputs = v.BuildInputs.Select(f => new { path = f.Path, digest = f.Digest }),
            }),
        });
    }

    private static async Task StartRunAsync(HttpContext context)
    {
        var name = (string)context.Request.RouteValues["name"]!;
        var runs = Runs(context);
        var request = await ReadBodyAsync<PipelineRunRequest>(context) ?? new PipelineRunRequest();
        var started = await runs.StartAsync(name, request, context.RequestAborted);
        await WriteStartedAsync(context, started);
    }

    private static async Task RerunAsync(HttpContext context)
    {
        var runId = (string)context.Request.RouteValues["runId"]!;
        var body = await ReadBodyAsync<RerunRequest>(context);
        var started = await Runs(context).RerunAsync(runId, body?.Mode, body?.RunId, context.RequestAborted);
        await WriteStartedAsync(context, started);
    }

    private static async Task ListRunsAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var top = 50;
        if (query["top"] is { Count: > 0 } topText && !int.TryParse(topText, out top))
        {
            throw new PipelineRunException(PipelineRunException.InvalidArgument, $"top: '{topText}' is not a number");
        }

        var (runs, token) = await Runs(context).ListAsync(
            NullIfEmpty(query["pipeline"]), NullIfEmpty(query["status"]), top, NullIfEmpty(query["continuationToken"]), context.RequestAborted);
        await WriteJsonAsync(context, StatusCodes.Status200OK, new { runs, continuationToken = token });
    }

    private static async Task GetRunAsync(HttpContext context)
    {
        var runId = (string)context.Request.RouteValues["runId"]!;
        await WriteJsonAsync(context, StatusCodes.Status200OK, await Runs(context).GetAsync(runId, context.RequestAborted));
    }

    private static async Task CancelRunAsync(HttpContext context)
    {
        var runId = (string)context.Request.RouteValues["runId"]!;
        await Runs(context).CancelAsync(runId, context.RequestAborted);
        await WriteJsonAsync(context, StatusCodes.Status202Accepted, new { id = runId, status = "Cancelling" });
    }

    private static async Task WriteStartedAsync(HttpContext context, PipelineRunStarted started)
    {
        var self = $"/api/runs/{Uri.EscapeDataString(started.Id)}";
        var origin = $"{context.Request.Scheme}://{context.Request.Host}";
        context.Response.Headers.Location = self;
        await WriteJsonAsync(context, StatusCodes.Status202Accepted, new
        {
            id = started.Id,
            pipeline = started.Pipeline,
            version = started.Version,
            statusQueryGetUri = origin + self,
            cancelPostUri = origin + self + "/cancel",
            rerunPostUri = origin + self + "/rerun",
            logsUri = origin + self + "/steps/{stepKey}/logs",
        });
    }

    private static async Task<T?> ReadBodyAsync<T>(HttpContext context)
    {
        if (context.Request.ContentLength is 0)
        {
            return default;
        }

        var text = await new StreamReader(context.Request.Body).ReadToEndAsync(context.RequestAborted);
        try
        {
            return string.IsNullOrWhiteSpace(text) ? default : JsonSerializer.Deserialize<T>(text, s_strictBody);
        }
        catch (JsonException ex) when (UnknownField(ex) is { } field)
        {
            // A misspelt field ("paramters") would otherwise start a run with every default: on a GPU pipeline
            // that is an expensive way to find a typo.
            var known = string.Join(", ", typeof(T).GetProperties().Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name)));
            throw new PipelineRunException(PipelineRunException.InvalidArgument,
                $"the request body has an unknown field '{field}' (line {(ex.LineNumber ?? 0) + 1}, column {(ex.BytePositionInLine ?? 0) + 1}); known fields: {known}");
        }
    }

    private static readonly JsonSerializerOptions s_strictBody = new(DataConverter.Options) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };

    private static string? UnknownField(JsonException ex)
    {
        // The serializer says: "The JSON property 'NAME' could not be mapped to any .NET member contained in type ...".
        const string Marker = "' could not be mapped";
        var end = ex.Message.IndexOf(Marker, StringComparison.Ordinal);
        var start = end > 0 ? ex.Message.LastIndexOf(" '", end, StringComparison.Ordinal) : -1;
        return start >= 0 ? ex.Message[(start + 2)..end] : null;
    }

    private static async Task CopyLimitedAsync(Stream source, Stream target, long limit, CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += read;
            if (total > limit)
            {
                throw new PipelineRunException(PipelineRunException.InvalidArgument, $"body: the package is larger than {limit / (1024 * 1024)} MiB");
            }

            await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }
    }

    private static PipelineRuns Runs(HttpContext context) => context.RequestServices.GetRequiredService<PipelineRuns>();

    private static string? NullIfEmpty(Microsoft.Extensions.Primitives.StringValues value) =>
        string.IsNullOrEmpty(value.ToString()) ? null : value.ToString();

    private static Task WriteJsonAsync(HttpContext context, int status, object value)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(JsonSerializer.Serialize(value, value.GetType(), s_json), context.RequestAborted);
    }

    private static Task WriteErrorAsync(HttpContext context, string code, string message, IReadOnlyList<object> details)
    {
        var status = code switch
        {
            PipelineRunException.NotFound => StatusCodes.Status404NotFound,
            PipelineRunException.Conflict => StatusCodes.Status409Conflict,
            _ => StatusCodes.Status400BadRequest,
        };
        return WriteJsonAsync(context, status, new { error = new { code, message, details } });
    }

    private static readonly JsonSerializerOptions s_json = new(DataConverter.Options)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.Never,
    };

    private sealed record RerunRequest(string? Mode, string? RunId);
}
