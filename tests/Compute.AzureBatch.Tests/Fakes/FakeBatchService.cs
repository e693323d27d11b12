using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Core.Pipeline;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Serverless.Testing;

namespace Serverless.Compute.AzureBatch.Tests.Fakes;

/// <summary>
/// An in-test Batch account on https://127.0.0.1: it keeps jobs and tasks, plays scripted task state
/// sequences, serves task files with <c>ocp-range</c>, answers with the documented response shapes and
/// error bodies, and records every wire-format violation it sees in <see cref="Violations"/>.
/// </summary>
internal sealed class FakeBatchService : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, JsonObject> _jobs = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, FakeTask> _tasks = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentQueue<Fault> _faults = new();
    private readonly List<HttpClientHandler> _handlers = [];

    private FakeBatchService(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public ConcurrentQueue<string> Violations { get; } = new();

    public ConcurrentDictionary<string, StringBuilder> Files { get; } = new(StringComparer.Ordinal);

    public List<JsonObject> Pools { get; } = [];

    public FixedTokenCredential Credential { get; } = new();

    public static async Task<FakeBatchService> StartAsync()
    {
        var port = LoopbackPorts.GetFree();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, l => l.UseHttps(TestCertificate.Instance)));
        var app = builder.Build();
        var service = new FakeBatchService(app, new Uri($"https://127.0.0.1:{port}"));
        app.Run(service.HandleAsync);
        await app.StartAsync();
        return service;
    }

    public BatchClient CreateClient(int maxRetries = 3, TimeSpan? maxDelay = null)
    {
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, cert, _, _) => cert?.Thumbprint == TestCertificate.Instance.Thumbprint,
        };
        lock (_handlers)
        {
            _handlers.Add(handler);
        }

        var options = new BatchClientOptions { Transport = new HttpClientTransport(handler) };
        options.Retry.MaxRetries = maxRetries;
        options.Retry.Delay = TimeSpan.FromMilliseconds(20);
        options.Retry.MaxDelay = maxDelay ?? TimeSpan.FromSeconds(5);
        return new BatchClient(Url, Credential, options);
    }

    public void AddFault(Fault fault) => _faults.Enqueue(fault);

    public void Script(string jobId, string taskId, params TaskPhase[] phases) =>
        _tasks.GetOrAdd(Key(jobId, taskId), _ => new FakeTask()).SetScript(phases);

    public JsonObject? TaskBody(string jobId, string taskId) =>
        _tasks.TryGetValue(Key(jobId, taskId), out var task) ? task.Spec : null;

    public JsonObject? Job(string jobId) => _jobs.GetValueOrDefault(jobId);

    /// <summary>
    /// Called once when a task is first reported completed, with its job, id, body and result: the moment Batch
    /// uploads the task's output files.
    /// </summary>
    public Func<string, string, JsonObject, string, Task>? TaskCompleted { get; set; }

    public int TasksCreated(string jobId, string taskId) =>
        _tasks.TryGetValue(Key(jobId, taskId), out var task) ? task.CreateCount : 0;

    public bool WasTerminated(string jobId, string taskId) =>
        _tasks.TryGetValue(Key(jobId, taskId), out var task) && task.TerminateCount > 0;

    public RecordedRequest[] RequestsTo(string method, string path) =>
        Requests.Where(r => r.Method == method && string.Equals(r.Path, path, StringComparison.OrdinalIgnoreCase)).ToArray();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        lock (_handlers)
        {
            _handlers.ForEach(h => h.Dispose());
        }
    }

    private static string Key(string jobId, string taskId) => jobId + "/" + taskId;

    private async Task HandleAsync(HttpContext context)
    {
        var request = await RecordAsync(context.Request);
        Requests.Enqueue(request);
        var violations = new List<string>();
        WireContract.CheckCommon(request, violations);

        // Answer the client-request-id back, as return-client-request-id asks.
        context.Response.Headers["client-request-id"] = request.Header("client-request-id");
        context.Response.Headers["request-id"] = Guid.NewGuid().ToString();
        foreach (var fault in _faults)
        {
            if (fault.Match(request) && TryTake(fault))
            {
                violations.ForEach(Violations.Enqueue);
                if (fault.ApplyThenAbort)
                {
                    ApplyCreate(request);
                    context.Abort();
                    return;
                }

                if (fault.Abort)
                {
                    context.Abort();
                    return;
                }

                if (fault.RetryAfter is not null)
                {
                    context.Response.Headers.RetryAfter = fault.RetryAfter;
                }

                await ErrorAsync(context, fault.Status, fault.Code ?? "ServerBusy", "Injected fault.");
                return;
            }
        }

        await RouteAsync(context, request, violations);
        violations.ForEach(Violations.Enqueue);
    }

    private bool TryTake(Fault fault)
    {
        // Faults are consumed in order; put back the ones dequeued ahead of the match.
        lock (_faults)
        {
            var kept = new List<Fault>();
            var taken = false;
            while (_faults.TryDequeue(out var f))
            {
                if (!taken && ReferenceEquals(f, fault))
                {
                    taken = true;
                }
                else
                {
                    kept.Add(f);
                }
            }

            kept.ForEach(_faults.Enqueue);
            return taken;
        }
    }

    private async Task RouteAsync(HttpContext context, RecordedRequest request, List<string> violations)
    {
        var segments = request.Path.Trim('/').Split('/', 5);
        switch (request.Method, segments)
        {
            case ("POST", ["jobs"]):
                WireContract.CheckJobCreate(request, violations);
                await CreateJobAsync(context, request);
                break;
            case ("GET", ["jobs", var jobId]):
                WireContract.CheckNoBody(request, violations);
                await (_jobs.TryGetValue(jobId, out var job)
                    ? JsonAsync(context, 200, job)
                    : ErrorAsync(context, 404, "JobNotFound", "The specified job does not exist."));
                break;
            case ("PATCH", ["jobs", var jobId]):
                WireContract.CheckJobPatch(request, violations);
                await PatchJobAsync(context, request, jobId);
                break;
            case ("POST", ["jobs", var jobId, "terminate"]):
                WireContract.CheckJobTerminate(request, violations);
                await TerminateJobAsync(context, request, jobId);
                break;
            case ("POST", ["jobs", var jobId, "tasks"]):
                WireContract.CheckTaskCreate(request, violations);
                await CreateTaskAsync(context, request, jobId);
                break;
            case ("GET", ["jobs", var jobId, "tasks", var taskId]):
                WireContract.CheckNoBody(request, violations);
                await GetTaskAsync(context, jobId, taskId);
                break;
            case ("POST", ["jobs", var jobId, "tasks", var taskId, "terminate"]):
                WireContract.CheckNoBody(request, violations);
                await TerminateTaskAsync(context, jobId, taskId);
                break;
            case ("GET", ["jobs", var jobId, "tasks", var taskId, var rest]) when rest == "files" || rest.StartsWith("files/", StringComparison.Ordinal):
                WireContract.CheckNoBody(request, violations);
                await FilesAsync(context, request, jobId, taskId, rest.Length > "files/".Length ? rest["files/".Length..] : null);
                break;
            case ("GET", ["pools"]):
                await JsonAsync(context, 200, new JsonObject { ["value"] = new JsonArray(Pools.Select(p => (JsonNode)p.DeepClone()).ToArray()) });
                break;
            default:
                violations.Add($"{request.Method} {request.Path}: not a Batch operation");
                await ErrorAsync(context, 404, "ResourceNotFound", "No such operation.");
                break;
        }
    }

    private async Task CreateJobAsync(HttpContext context, RecordedRequest request)
    {
        var body = JsonNode.Parse(request.Body)!.AsObject();
        var id = body["id"]!.GetValue<string>();
        var job = new JsonObject
        {
            ["id"] = id,
            ["url"] = $"{Url}jobs/{id}",
            ["eTag"] = "0x8D0001",
            ["state"] = "active",
            ["onAllTasksComplete"] = body["onAllTasksComplete"]?.GetValue<string>() ?? "noaction",
            ["poolInfo"] = body["poolInfo"]!.DeepClone(),
            ["constraints"] = body["constraints"]?.DeepClone(),
            ["executionInfo"] = new JsonObject { ["startTime"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture) },
        };
        if (!_jobs.TryAdd(id, job))
        {
            await ErrorAsync(context, 409, "JobExists", "The specified job already exists.");
            return;
        }

        await CreatedAsync(context, $"jobs/{id}");
    }

    private async Task PatchJobAsync(HttpContext context, RecordedRequest request, string jobId)
    {
        if (!_jobs.TryGetValue(jobId, out var job))
        {
            await ErrorAsync(context, 404, "JobNotFound", "The specified job does not exist.");
            return;
        }

        var body = JsonNode.Parse(request.Body)!.AsObject();
        if (body["onAllTasksComplete"]?.GetValue<string>() is { } value)
        {
            if (job["onAllTasksComplete"]!.GetValue<string>() == "terminatejob" && value == "noaction")
            {
                await ErrorAsync(context, 400, "InvalidPropertyValue", "onAllTasksComplete cannot be changed back to noaction.");
                return;
            }

            job["onAllTasksComplete"] = value;
        }

        context.Response.Headers.ETag = "0x8D0002";
        context.Response.StatusCode = 200;
    }

    private async Task TerminateJobAsync(HttpContext context, RecordedRequest request, string jobId)
    {
        if (!_jobs.TryGetValue(jobId, out var job))
        {
            await ErrorAsync(context, 404, "JobNotFound", "The specified job does not exist.");
            return;
        }

        if (job["state"]!.GetValue<string>() == "completed")
        {
            await ErrorAsync(context, 409, "JobCompleted", "The specified job is already in a completed state.");
            return;
        }

        var reason = request.Body.Length > 0 ? JsonNode.Parse(request.Body)?["terminateReason"]?.GetValue<string>() : null;
        job["state"] = "completed";
        job["executionInfo"]!["terminateReason"] = reason ?? "UserTerminate";
        context.Response.StatusCode = 202;
    }

    private async Task CreateTaskAsync(HttpContext context, RecordedRequest request, string jobId)
    {
        if (!_jobs.ContainsKey(jobId))
        {
            await ErrorAsync(context, 404, "JobNotFound", "The specified job does not exist.");
            return;
        }

        var body = JsonNode.Parse(request.Body)!.AsObject();
        var id = body["id"]!.GetValue<string>();
        var task = _tasks.GetOrAdd(Key(jobId, id), _ => new FakeTask());
        if (!task.TryCreate(body))
        {
            await ErrorAsync(context, 409, "TaskExists", "The specified task already exists.");
            return;
        }

        await CreatedAsync(context, $"jobs/{jobId}/tasks/{id}");
    }

    private async Task GetTaskAsync(HttpContext context, string jobId, string taskId)
    {
        if (!_tasks.TryGetValue(Key(jobId, taskId), out var task) || task.Spec is null)
        {
            await ErrorAsync(context, 404, "TaskNotFound", "The specified task does not exist.");
            return;
        }

        var body = task.Next(Url, jobId);
        if (body["state"]!.GetValue<string>() == "completed" && task.TryMarkUploaded() && TaskCompleted is { } upload)
        {
            await upload(jobId, taskId, task.Spec, body["executionInfo"]?["result"]?.GetValue<string>() ?? "failure");
        }

        await JsonAsync(context, 200, body);
    }

    private void ApplyCreate(RecordedRequest request)
    {
        var segments = request.Path.Trim('/').Split('/');
        var body = JsonNode.Parse(request.Body)!.AsObject();
        var id = body["id"]!.GetValue<string>();
        if (segments is ["jobs"])
        {
            _jobs.TryAdd(id, new JsonObject { ["id"] = id, ["state"] = "active", ["onAllTasksComplete"] = "noaction", ["poolInfo"] = body["poolInfo"]!.DeepClone(), ["executionInfo"] = new JsonObject() });
        }
        else if (segments is ["jobs", var jobId, "tasks"])
        {
            _tasks.GetOrAdd(Key(jobId, id), _ => new FakeTask()).TryCreate(body);
        }
    }

    private async Task TerminateTaskAsync(HttpContext context, string jobId, string taskId)
    {
        if (!_tasks.TryGetValue(Key(jobId, taskId), out var task) || task.Spec is null)
        {
            await ErrorAsync(context, 404, "TaskNotFound", "The specified task does not exist.");
            return;
        }

        if (!task.Terminate())
        {
            await ErrorAsync(context, 409, "TaskCompleted", "The specified task is already completed.");
            return;
        }

        context.Response.StatusCode = 204;
    }

    private async Task FilesAsync(HttpContext context, RecordedRequest request, string jobId, string taskId, string? path)
    {
        var prefix = Key(jobId, taskId) + "/";
        if (path is null)
        {
            var names = Files.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).Select(k => k[prefix.Length..]).Order().ToList();
            // Two entries a page, so the client has to follow odata.nextLink.
            var skip = int.Parse(request.Query.GetValueOrDefault("skip") ?? "0", CultureInfo.InvariantCulture);
            var page = new JsonArray(names.Skip(skip).Take(2).Select(n => (JsonNode)new JsonObject
            {
                ["name"] = n,
                ["url"] = $"{Url}jobs/{jobId}/tasks/{taskId}/files/{n}",
                ["isDirectory"] = false,
                ["properties"] = new JsonObject
                {
                    ["contentLength"] = Encoding.UTF8.GetByteCount(Files[prefix + n].ToString()),
                    ["contentType"] = "text/plain",
                    ["lastModified"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
                },
            }).ToArray());
            var list = new JsonObject { ["odata.metadata"] = $"{Url}$metadata#files", ["value"] = page };
            if (skip + 2 < names.Count)
            {
                list["odata.nextLink"] = $"{Url}jobs/{jobId}/tasks/{taskId}/files?recursive=true&skip={skip + 2}&api-version={WireContract.ApiVersion}";
            }

            await JsonAsync(context, 200, list);
            return;
        }

        if (!Files.TryGetValue(prefix + Uri.UnescapeDataString(path), out var content))
        {
            await ErrorAsync(context, 404, "FileNotFound", "The specified file does not exist.");
            return;
        }

        var bytes = Encoding.UTF8.GetBytes(content.ToString());
        long start = 0, end = bytes.Length - 1;
        if (request.Header("ocp-range") is { } range)
        {
            var parts = range["bytes=".Length..].Split('-');
            start = long.Parse(parts[0], CultureInfo.InvariantCulture);
            if (parts[1].Length > 0)
            {
                end = Math.Min(end, long.Parse(parts[1], CultureInfo.InvariantCulture));
            }

            if (start >= bytes.Length)
            {
                await ErrorAsync(context, 416, "InvalidRange", "The range specified is invalid for the current size of the resource.");
                return;
            }
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/octet-stream";
        context.Response.Headers["ocp-batch-file-isdirectory"] = "False";
        await context.Response.Body.WriteAsync(bytes.AsMemory((int)start, (int)(end - start + 1)));
    }

    private static async Task CreatedAsync(HttpContext context, string path)
    {
        context.Response.StatusCode = 201;
        context.Response.Headers.ETag = "0x8D0001";
        context.Response.Headers.LastModified = DateTimeOffset.UtcNow.ToString("R", CultureInfo.InvariantCulture);
        context.Response.Headers["DataServiceId"] = $"https://{context.Request.Host}/{path}";
        context.Response.Headers.Location = $"https://{context.Request.Host}/{path}";
        await context.Response.CompleteAsync();
    }

    private static async Task JsonAsync(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json;odata=minimalmetadata";
        await context.Response.WriteAsync(body.ToJsonString());
    }

    private static Task ErrorAsync(HttpContext context, int status, string code, string message)
    {
        var body = new JsonObject
        {
            ["odata.metadata"] = "https://fake.batch/$metadata#Microsoft.Azure.Batch.Protocol.Entities.Container.errors/@Element",
            ["code"] = code,
            ["message"] = new JsonObject { ["lang"] = "en-US", ["value"] = $"{message}\nRequestId:{Guid.NewGuid()}" },
            ["values"] = new JsonArray(new JsonObject { ["key"] = "Reason", ["value"] = code }),
        };
        return JsonAsync(context, status, body);
    }

    private static async Task<RecordedRequest> RecordAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        return new RecordedRequest(
            request.Method,
            Uri.UnescapeDataString(request.Path.Value ?? string.Empty),
            request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal),
            request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString(), StringComparer.Ordinal),
            body,
            DateTimeOffset.UtcNow);
    }
}
