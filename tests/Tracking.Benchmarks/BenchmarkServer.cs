using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serverless.Storage;
using Serverless.Tracking.Mlflow;

namespace Serverless.Tracking.Benchmarks;

/// <summary>
/// The server half: the same registration the host does (storage clients, AddTracking,
/// MapMlflowApi) on a loopback port, run as a child process so its memory can be measured alone.
/// </summary>
internal static class BenchmarkServer
{
    public static async Task RunAsync(int port, string tablePrefix, string container)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var storage = Storage();
        builder.Services.AddSingleton(storage);
        builder.Services.AddSingleton(new StorageClients(storage));
        builder.Services.AddTracking(o =>
        {
            o.TablePrefix = tablePrefix;
            o.ArtifactContainer = container;
        });
        var app = builder.Build();
        app.MapGet("/health", () => "ok");
        app.MapMlflowApi();
        await app.RunAsync();
    }

    /// <summary>
    /// The default Azurite, or the account in <c>SERVERLESS_TEST_STORAGE</c> (e.g. a private
    /// in-memory Azurite, so other people's test runs on the shared one do not add noise).
    /// </summary>
    public static StorageOptions Storage() =>
        Environment.GetEnvironmentVariable("SERVERLESS_TEST_STORAGE") is { Length: > 0 } custom
            ? new StorageOptions { ConnectionString = custom }
            : StorageOptions.Development();

    public static async Task CleanupAsync(string tablePrefix, string container)
    {
        var clients = new StorageClients(Storage());
        foreach (var table in new[] { "experiments", "runs", "runindex", "metrics", "registry" })
        {
            await clients.Tables.DeleteTableAsync(tablePrefix + table);
        }

        await clients.Blobs.DeleteBlobContainerAsync(container);
    }
}
