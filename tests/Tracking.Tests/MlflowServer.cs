using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serverless.Storage;
using Serverless.Testing;
using Serverless.Tracking.Client;
using Serverless.Tracking.Mlflow;

namespace Serverless.Tracking.Tests;

/// <summary>
/// A real ASP.NET Core server on a loopback port with the MLflow endpoints, backed by Azurite with
/// tables and a container no other test class uses.
/// </summary>
public sealed class MlflowServer : IAsyncLifetime
{
    private WebApplication? _app;

    public Uri BaseUri { get; private set; } = null!;

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(60) };

    public MlflowClient Client { get; private set; } = null!;

    public IServiceProvider Services => _app!.Services;

    public string TablePrefix { get; } = TestNames.Unique("ml");

    public string Container { get; } = TestNames.Unique("art");

    public StorageClients Storage { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var connection = await Azurite.EnsureRunningAsync();
        Storage = new StorageClients(new StorageOptions { ConnectionString = connection });
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(Storage);
        builder.Services.AddTracking(o =>
        {
            o.TablePrefix = TablePrefix;
            o.ArtifactContainer = Container;
        });
        _app = builder.Build();
        _app.MapMlflowApi();
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseUri = new Uri(address.TrimEnd('/') + "/");
        Client = new MlflowClient(BaseUri, Http);
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        foreach (var table in new[] { "experiments", "runs", "runindex", "metrics", "registry" })
        {
            await Storage.Tables.DeleteTableAsync(TablePrefix + table);
        }

        await Storage.Blobs.DeleteBlobContainerAsync(Container);
        Http.Dispose();
    }

    public Task<Response> PostAsync(string path, string json) => SendAsync(HttpMethod.Post, path, json);

    public Task<Response> GetAsync(string pathAndQuery) => SendAsync(HttpMethod.Get, pathAndQuery, null);

    public async Task<Response> SendAsync(HttpMethod method, string path, string? json)
    {
        using var request = new HttpRequestMessage(method, new Uri(BaseUri, path));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await Http.SendAsync(request);
        return new Response(response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Sends a request target exactly as given, bypassing System.Uri's dot-segment folding.</summary>
    public async Task<Response> SendRawAsync(HttpMethod method, string rawPath, byte[]? body = null)
    {
        var uri = new Uri(BaseUri.GetLeftPart(UriPartial.Authority) + rawPath, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        using var request = new HttpRequestMessage(method, uri);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
        }

        using var response = await Http.SendAsync(request);
        return new Response(response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public sealed record Response(HttpStatusCode Status, string Body)
    {
        public JsonNode Json => JsonNode.Parse(Body) ?? throw new InvalidOperationException("null body");

        public string? ErrorCode => Json["error_code"]?.GetValue<string>();
    }
}
