using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serverless.Orchestration.AzureStorage;
using Serverless.Storage;
using Serverless.Testing;

namespace Serverless.Orchestration.Http.Tests;

/// <summary>
/// A real Kestrel host on 127.0.0.1 serving the management API over a real engine on Azurite with its
/// own task hub, and an HttpClient aimed at it.
/// </summary>
public sealed class DurableApiHost : IAsyncDisposable
{
    public const string Prefix = "/runtime/webhooks/durabletask/";

    private readonly WebApplication _app;

    private DurableApiHost(WebApplication app, DurableEngine engine, Uri root)
    {
        _app = app;
        Engine = engine;
        Root = root;
        Http = new HttpClient { BaseAddress = new Uri(root, Prefix), Timeout = TimeSpan.FromSeconds(30) };
    }

    public DurableEngine Engine { get; }

    public OrchestrationClient Client => Engine.Client;

    /// <summary>http://127.0.0.1:{port}/</summary>
    public Uri Root { get; }

    /// <summary>Aimed at the management API root; relative paths like "instances/x" work.</summary>
    public HttpClient Http { get; }

    public static async Task<DurableApiHost> StartAsync(OrchestrationRegistry registry, Action<TaskHubOptions>? configure = null, string? hub = null)
    {
        var storage = new StorageClients(new StorageOptions { ConnectionString = await Azurite.EnsureRunningAsync() });
        var options = new TaskHubOptions
        {
            TaskHubName = hub ?? TestNames.Unique("hub"),
            PartitionCount = 2,
            ControlMessageVisibility = TimeSpan.FromSeconds(10),
            MaxPollingInterval = TimeSpan.FromMilliseconds(250),
        };
        configure?.Invoke(options);
        var engine = new DurableEngine(storage, options, registry);
        await engine.StartAsync();

        // A port found free can be taken before Kestrel binds it; try a few.
        for (var attempt = 1; ; attempt++)
        {
            var port = LoopbackPorts.GetFree();
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
            builder.Logging.ClearProviders();
            builder.Services.AddSingleton(engine);
            builder.Services.AddSingleton(registry);
            var app = builder.Build();
            app.MapDurableManagementApi();
            try
            {
                await app.StartAsync();
                return new DurableApiHost(app, engine, new Uri($"http://127.0.0.1:{port}/"));
            }
            catch (IOException) when (attempt < 3)
            {
                await app.DisposeAsync();
            }
        }
    }

    public async Task<ApiResponse> SendAsync(HttpMethod method, string uri, string? body = null, IEnumerable<KeyValuePair<string, string>>? headers = null)
    {
        using var request = new HttpRequestMessage(method, uri);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        foreach (var (name, value) in headers ?? [])
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new ApiResponse(response.StatusCode, response.Headers, response.Content.Headers.ContentType, text);
    }

    public Task<ApiResponse> GetAsync(string uri) => SendAsync(HttpMethod.Get, uri);

    public Task<ApiResponse> PostAsync(string uri, string? body = null) => SendAsync(HttpMethod.Post, uri, body);

    public Task<ApiResponse> DeleteAsync(string uri) => SendAsync(HttpMethod.Delete, uri);

    /// <summary>Starts over HTTP and returns the 202 body.</summary>
    public async Task<JsonElement> StartAsync(string orchestrator, string? body = null, string? instanceId = null)
    {
        var response = await PostAsync($"orchestrators/{orchestrator}" + (instanceId is null ? "" : "/" + Uri.EscapeDataString(instanceId)), body);
        Assert.True(response.Status == HttpStatusCode.Accepted, $"start answered {(int)response.Status}: {response.Text}");
        return response.Json;
    }

    /// <summary>Polls the status URL until <paramref name="done"/> holds for the body, failing after 30 s.</summary>
    public async Task<ApiResponse> PollAsync(string statusUri, Func<JsonElement, bool> done)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var delay = TimeSpan.FromMilliseconds(25);
        while (true)
        {
            var response = await GetAsync(statusUri);
            if (response.Status is HttpStatusCode.OK or HttpStatusCode.Accepted or HttpStatusCode.InternalServerError && done(response.Json))
            {
                return response;
            }

            Assert.False(timeout.IsCancellationRequested, $"gave up polling {statusUri}; last answer {(int)response.Status}: {response.Text}");
            await Task.Delay(delay);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 1.5, 300));
        }
    }

    public Task<ApiResponse> PollStatusAsync(string statusUri, string runtimeStatus) =>
        PollAsync(statusUri, j => j.GetProperty("runtimeStatus").GetString() == runtimeStatus);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await Engine.DisposeAsync();
    }
}

/// <summary>What came back: status, headers and the body as text and parsed JSON.</summary>
public sealed record ApiResponse(HttpStatusCode Status, HttpResponseHeaders Headers, MediaTypeHeaderValue? ContentType, string Text)
{
    public JsonElement Json => JsonDocument.Parse(Text).RootElement.Clone();

    public string? Header(string name) => Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    /// <summary>Asserts the JSON error shape and returns the message.</summary>
    public string AssertError(HttpStatusCode status, string code)
    {
        Assert.True(Status == status, $"expected {(int)status} but got {(int)Status}: {Text}");
        Assert.Equal("application/json", ContentType?.MediaType);
        var json = Json;
        Assert.Equal(code, json.GetProperty("code").GetString());
        var message = json.GetProperty("error").GetString();
        Assert.False(string.IsNullOrWhiteSpace(message));
        Assert.DoesNotContain("   at ", message, StringComparison.Ordinal);
        return message!;
    }
}
