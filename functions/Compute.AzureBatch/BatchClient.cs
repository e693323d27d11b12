using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Serverless.Compute.AzureBatch.Models;

namespace Serverless.Compute.AzureBatch;

/// <summary>
/// A typed client for the Azure Batch data-plane REST API (api-version 2025-06-01) on Azure.Core's
/// HTTP pipeline, authenticated with an Entra ID token for <c>https://batch.core.windows.net//.default</c>.
/// It does only what the platform needs: make jobs and tasks exist, read their state and files, end them.
/// </summary>
/// <remarks>
/// Creates are idempotent (409 <c>JobExists</c>/<c>TaskExists</c> is success), throttling and transient
/// failures are retried by the pipeline (see <see cref="BatchClientOptions"/>), and every other failure
/// is a <see cref="BatchException"/> with Batch's code and message. Thread-safe; keep one per process.
/// </remarks>
public sealed class BatchClient
{
    /// <summary>The token scope of the Batch data plane (the double slash is part of it).</summary>
    public const string Scope = "https://batch.core.windows.net//.default";

    private const string JsonContentType = "application/json; odata=minimalmetadata";

    private readonly Uri _endpoint;
    private readonly HttpPipeline _pipeline;

    /// <summary>Creates a client for one Batch account.</summary>
    /// <param name="accountUrl">The account endpoint, e.g. <c>https://acct.westeurope.batch.azure.com</c>; a bare host name gets <c>https://</c>.</param>
    /// <param name="credential">The Entra ID credential (a managed identity in Azure).</param>
    /// <param name="options">Retry, transport and diagnostics options.</param>
    /// <param name="clock">The clock for <c>ocp-date</c>; the system clock when null.</param>
    public BatchClient(Uri accountUrl, TokenCredential credential, BatchClientOptions? options = null, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(accountUrl);
        ArgumentNullException.ThrowIfNull(credential);
        _endpoint = new Uri(accountUrl.AbsoluteUri.TrimEnd('/') + "/", UriKind.Absolute);
        options ??= new BatchClientOptions();
        clock ??= TimeProvider.System;
        // An explicitly set RetryPolicy wins; otherwise the Retry options drive ours, whose server-wait floor
        // also covers Retry-After given as an HTTP date.
        options.RetryPolicy ??= new RetryPolicy(
            options.Retry.MaxRetries,
            new BatchDelayStrategy(options.Retry.Delay, options.Retry.MaxDelay, clock));
        _pipeline = HttpPipelineBuilder.Build(
            options,
            perCallPolicies: [],
            perRetryPolicies:
            [
                new BatchHeadersPolicy(clock),
                new BearerTokenAuthenticationPolicy(credential, Scope),
            ],
            new ResponseClassifier());
    }

    /// <summary>
    /// Creates a client from configuration: the account URL from <see cref="BatchOptions.AccountUrl"/>,
    /// the user-assigned identity <see cref="BatchOptions.ClientId"/> or else <c>DefaultAzureCredential</c>.
    /// </summary>
    /// <param name="options">The bound configuration.</param>
    /// <exception cref="ArgumentException"><c>Serverless:Batch:AccountUrl</c> is missing or not an https URL.</exception>
    public static BatchClient FromOptions(BatchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.AccountUrl is not { IsAbsoluteUri: true } url || url.Scheme != Uri.UriSchemeHttps)
        {
            throw new ArgumentException(
                $"Serverless:Batch:AccountUrl must be the https URL of the Batch account (e.g. https://acct.region.batch.azure.com); got '{options.AccountUrl}'.",
                nameof(options));
        }

        TokenCredential credential = string.IsNullOrWhiteSpace(options.ClientId)
            ? new DefaultAzureCredential()
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(options.ClientId));
        var clientOptions = new BatchClientOptions();
        clientOptions.Retry.MaxRetries = options.MaxRetries;
        return new BatchClient(url, credential, clientOptions);
    }

    /// <summary>Creates the job unless it exists.</summary>
    /// <returns>True when this call created it, false when it was there already (409 <c>JobExists</c>).</returns>
    public async Task<bool> EnsureJobAsync(BatchJobSpec job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        return await CreateAsync("jobs", job, BatchErrorCodes.JobExists, cancellationToken);
    }

    /// <summary>Reads a job.</summary>
    public async Task<BatchJob> GetJobAsync(string jobId, CancellationToken cancellationToken = default)
    {
        using var message = CreateMessage(RequestMethod.Get, JobPath(jobId));
        return await SendForJsonAsync<BatchJob>(message, cancellationToken);
    }

    /// <summary>
    /// Sets what happens when all of the job's tasks are complete (<c>PATCH /jobs/{id}</c>). Set
    /// <see cref="BatchOnAllTasksComplete.TerminateJob"/> after the run's tasks are added: it cannot be undone.
    /// </summary>
    public async Task SetJobOnAllTasksCompleteAsync(string jobId, BatchOnAllTasksComplete value, CancellationToken cancellationToken = default)
    {
        using var message = CreateMessage(RequestMethod.Patch, JobPath(jobId));
        SetJsonBody(message, new JobPatch(value));
        await SendAsync(message, [200], cancellationToken);
    }

    /// <summary>Terminates a job and its running tasks; a job already completed is left as it is.</summary>
    /// <param name="jobId">The job.</param>
    /// <param name="reason">Recorded as the job's <c>terminateReason</c>; Batch's default is <c>UserTerminate</c>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task TerminateJobAsync(string jobId, string? reason = null, CancellationToken cancellationToken = default)
    {
        using var message = CreateMessage(RequestMethod.Post, JobPath(jobId) + "/terminate");
        SetJsonBody(message, new JobTerminate(reason));
        await SendAsync(message, [202], cancellationToken, tolerated: BatchErrorCodes.JobCompleted);
    }

    /// <summary>Adds the task to the job unless it exists.</summary>
    /// <returns>True when this call created it, false when it was there already (409 <c>TaskExists</c>).</returns>
    public async Task<bool> EnsureTaskAsync(string jobId, BatchTaskSpec task, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        return await CreateAsync(JobPath(jobId) + "/tasks", task, BatchErrorCodes.TaskExists, cancellationToken);
    }

    /// <summary>Reads a task's state, result and failure (map it with <see cref="BatchTaskOutcomes.FromTask"/>).</summary>
    public async Task<BatchTask> GetTaskAsync(string jobId, string taskId, CancellationToken cancellationToken = default)
    {
        using var message = CreateMessage(RequestMethod.Get, TaskPath(jobId, taskId));
        return await SendForJsonAsync<BatchTask>(message, cancellationToken);
    }

    /// <summary>Terminates a task (cancellation); a task already completed is left as it is.</summary>
    public async Task TerminateTaskAsync(string jobId, string taskId, CancellationToken cancellationToken = default)
    {
        using var message = CreateMessage(RequestMethod.Post, TaskPath(jobId, taskId) + "/terminate");
        await SendAsync(message, [204], cancellationToken, tolerated: BatchErrorCodes.TaskCompleted);
    }

    /// <summary>Lists the files in a task's directory on its node (only while the node keeps them).</summary>
    public async Task<IReadOnlyList<BatchNodeFile>> ListTaskFilesAsync(
        string jobId, string taskId, bool recursive = true, CancellationToken cancellationToken = default)
    {
        var query = recursive ? "recursive=true" : null;
        return await ListAsync<BatchNodeFile>(TaskPath(jobId, taskId) + "/files", query, cancellationToken);
    }

    /// <summary>
    /// Reads a task file from <paramref name="offset"/>, e.g. <c>stdout.txt</c> while the task runs.
    /// Keep <see cref="BatchTaskFileChunk.NextOffset"/> and call again to tail it.
    /// </summary>
    /// <param name="jobId">The job.</param>
    /// <param name="taskId">The task.</param>
    /// <param name="path">The path relative to the task directory.</param>
    /// <param name="offset">The first byte to read.</param>
    /// <param name="maxBytes">At most this many bytes; everything to the end when null.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<BatchTaskFileChunk> ReadTaskFileAsync(
        string jobId, string taskId, string path, long offset = 0, long? maxBytes = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (maxBytes is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxBytes), maxBytes, "maxBytes must be positive.");
        }

        using var message = CreateMessage(RequestMethod.Get, TaskPath(jobId, taskId) + "/files/" + EscapePath(path));
        if (offset > 0 || maxBytes is not null)
        {
            var end = maxBytes is { } max ? (offset + max - 1).ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty;
            message.Request.Headers.SetValue("ocp-range", FormattableString.Invariant($"bytes={offset}-{end}"));
        }

        message.BufferResponse = true;
        // 416: the file has no bytes past the offset yet, which for a log being tailed means "nothing new".
        var response = await SendAsync(message, [200, 206, 416], cancellationToken);
        return response.Status == 416
            ? new BatchTaskFileChunk(offset, ReadOnlyMemory<byte>.Empty)
            : new BatchTaskFileChunk(offset, response.Content.ToMemory());
    }

    /// <summary>Lists the account's pools (for diagnostics: node counts, resize errors).</summary>
    public async Task<IReadOnlyList<BatchPool>> ListPoolsAsync(CancellationToken cancellationToken = default) =>
        await ListAsync<BatchPool>("pools", null, cancellationToken);

    private async Task<bool> CreateAsync<T>(string path, T body, string existsCode, CancellationToken cancellationToken)
    {
        using var message = CreateMessage(RequestMethod.Post, path);
        SetJsonBody(message, body);
        var response = await SendAsync(message, [201], cancellationToken, tolerated: existsCode);
        return response.Status == 201;
    }

    private async Task<IReadOnlyList<T>> ListAsync<T>(string path, string? query, CancellationToken cancellationToken)
    {
        var items = new List<T>();
        Uri? next = BuildUri(path, query);
        while (next is not null)
        {
            using var message = CreateMessage(RequestMethod.Get, next);
            var page = await SendForJsonAsync<ListPage<T>>(message, cancellationToken);
            items.AddRange(page.Value ?? []);
            next = page.NextLink is { Length: > 0 } link ? WithApiVersion(new Uri(link, UriKind.Absolute)) : null;
        }

        return items;
    }

    private HttpMessage CreateMessage(RequestMethod method, string path) => CreateMessage(method, BuildUri(path, null));

    private HttpMessage CreateMessage(RequestMethod method, Uri uri)
    {
        var message = _pipeline.CreateMessage();
        message.Request.Method = method;
        message.Request.Uri.Reset(uri);
        message.Request.Headers.SetValue("Accept", "application/json");
        return message;
    }

    private Uri BuildUri(string path, string? query)
    {
        var builder = new UriBuilder(new Uri(_endpoint, path))
        {
            Query = "api-version=" + BatchClientOptions.ApiVersion + (query is null ? string.Empty : "&" + query),
        };
        return builder.Uri;
    }

    private static Uri WithApiVersion(Uri uri) =>
        uri.Query.Contains("api-version=", StringComparison.Ordinal)
            ? uri
            : new UriBuilder(uri) { Query = uri.Query.TrimStart('?') + (uri.Query.Length > 1 ? "&" : string.Empty) + "api-version=" + BatchClientOptions.ApiVersion }.Uri;

    private static void SetJsonBody<T>(HttpMessage message, T body)
    {
        message.Request.Headers.SetValue("Content-Type", JsonContentType);
        message.Request.Content = RequestContent.Create(JsonSerializer.SerializeToUtf8Bytes(body, BatchJson.Options));
    }

    private async Task<T> SendForJsonAsync<T>(HttpMessage message, CancellationToken cancellationToken)
    {
        var response = await SendAsync(message, [200], cancellationToken);
        try
        {
            return response.Content.ToObjectFromJson<T>(BatchJson.Options)
                ?? throw new JsonException("The body was empty.");
        }
        catch (JsonException ex)
        {
            throw new BatchException(
                response.Status, null, "The response body is not the documented JSON shape: " + ex.Message,
                new Dictionary<string, string>(), RequestId(response), Describe(message), ex);
        }
    }

    private async Task<Response> SendAsync(
        HttpMessage message, int[] expected, CancellationToken cancellationToken, string? tolerated = null)
    {
        try
        {
            await _pipeline.SendAsync(message, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 0)
        {
            // The pipeline ran out of retries on network failures.
            throw new BatchException(0, null, ex.Message, new Dictionary<string, string>(), null, Describe(message), ex);
        }

        var response = message.Response;
        if (expected.Contains(response.Status))
        {
            return response;
        }

        var error = BatchErrorBody.Parse(response.Content);
        if (tolerated is not null && string.Equals(error.Code, tolerated, StringComparison.Ordinal))
        {
            return response;
        }

        throw new BatchException(
            response.Status,
            error.Code,
            error.Message ?? $"HTTP {response.Status} {response.ReasonPhrase}",
            error.Values,
            RequestId(response),
            Describe(message));
    }

    private static string? RequestId(Response response) =>
        response.Headers.TryGetValue("request-id", out var id) ? id : null;

    private static string Describe(HttpMessage message) =>
        $"{message.Request.Method} {message.Request.Uri.Path}";

    private static string JobPath(string jobId)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        return "jobs/" + Uri.EscapeDataString(jobId);
    }

    private static string TaskPath(string jobId, string taskId)
    {
        ArgumentException.ThrowIfNullOrEmpty(taskId);
        return JobPath(jobId) + "/tasks/" + Uri.EscapeDataString(taskId);
    }

    private static string EscapePath(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return string.Join('/', path.Split('/').Select(Uri.EscapeDataString));
    }

    private sealed record JobPatch(BatchOnAllTasksComplete OnAllTasksComplete);

    private sealed record JobTerminate(string? TerminateReason);

    private sealed class ListPage<T>
    {
        public List<T>? Value { get; set; }

        [System.Text.Json.Serialization.JsonPropertyName("odata.nextLink")]
        public string? NextLink { get; set; }
    }
}
