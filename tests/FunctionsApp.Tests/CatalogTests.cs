using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Host.Functions;
using Serverless.Orchestration.AzureStorage;
using Serverless.Testing;

namespace Serverless.FunctionsApp.Tests;

public sealed class CatalogTests
{
    private static readonly FunctionCatalog s_catalog = new(new TaskHubOptions { TaskHubName = "cataloghub" });

    [Fact]
    public void Write_Catalog_OneFolderPerFunctionWithMatchingBindings()
    {
        var dir = Directory.CreateTempSubdirectory("functions-").FullName;
        try
        {
            var written = FunctionFolderWriter.Write(s_catalog, dir);

            var expected = s_catalog.Http.Select(f => f.Name).Concat(s_catalog.Timers.Select(t => t.Name)).Concat(s_catalog.Queues.Select(q => q.Name)).Order().ToList();
            Assert.Equal(expected, Directory.GetDirectories(dir).Select(d => Path.GetFileName(d)!).Order().ToList());
            Assert.Equal(expected, written.Order().ToList());
            foreach (var f in s_catalog.Http)
            {
                var trigger = Binding(dir, f.Name, "httpTrigger");
                Assert.Equal(f.Route, trigger.GetProperty("route").GetString());
                Assert.False(f.Route.StartsWith('/'), $"{f.Name}: routes are relative to the empty route prefix");
                Assert.Equal(f.Name == "Health" ? "anonymous" : "function", trigger.GetProperty("authLevel").GetString());
                Assert.Equal(f.Methods, trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!));
            }

            var timer = Binding(dir, FunctionCatalog.EngineTick, "timerTrigger");
            Assert.Equal(6, timer.GetProperty("schedule").GetString()!.Split(' ').Length);
            Assert.False(timer.GetProperty("runOnStartup").GetBoolean());
            var queue = Binding(dir, FunctionCatalog.EngineWake, "queueTrigger");
            Assert.Equal("cataloghub-wake", queue.GetProperty("queueName").GetString());
            Assert.Equal("AzureWebJobsStorage", queue.GetProperty("connection").GetString());
            var output = Binding(dir, FunctionCatalog.EngineWake, "queue");
            Assert.Equal(FunctionCatalog.WakeOutput, output.GetProperty("name").GetString());
            Assert.Equal("out", output.GetProperty("direction").GetString());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void HostJson_CustomHandler_ProxiesWithEmptyRoutePrefixAndPlainQueueMessages()
    {
        var hostJson = JsonSerializer.Deserialize<JsonElement>(File.ReadAllText(Path.Combine(RepoPaths.Root, "host.json")));
        var handler = hostJson.GetProperty("customHandler");

        Assert.True(handler.GetProperty("enableProxyingHttpRequest").GetBoolean());
        Assert.Equal("Serverless.Host", handler.GetProperty("description").GetProperty("defaultExecutablePath").GetString());
        Assert.Equal("", hostJson.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());
        // Wake messages are plain JSON text; the queue extension would otherwise expect base64.
        Assert.Equal("none", hostJson.GetProperty("extensions").GetProperty("queues").GetProperty("messageEncoding").GetString());
    }

    [Theory]
    [InlineData("/api/runs", "Runs")]
    [InlineData("/api/runs/r1/steps/train/logs", "Runs")]
    [InlineData("/api/2.0/mlflow/runs/search", "MlflowApi")]
    [InlineData("/ajax-api/2.0/mlflow-artifacts/artifacts/a/b.txt", "MlflowAjaxArtifacts")]
    [InlineData("/runtime/webhooks/durabletask/instances/abc", "DurableManagement")]
    [InlineData("/health", "Health")]
    public void FindHttp_ServedPath_MatchesItsArea(string path, string function) =>
        Assert.Equal(function, s_catalog.FindHttp(path)?.Name);

    [Theory]
    [InlineData("/EngineTick")]
    [InlineData("/EngineWake")]
    [InlineData("/api/runsx")]
    [InlineData("/healthz")]
    public void FindHttp_PathOutsideEveryRoute_IsNull(string path) => Assert.Null(s_catalog.FindHttp(path));

    [Fact]
    public async Task ServedRoutes_EveryEndpoint_CoveredByAnHttpFunctionExceptInvocations()
    {
        await Azurite.EnsureRunningAsync();
        var hub = TestNames.Unique("fncat");
        await using var factory = new WebApplicationFactory<FunctionCatalog>().WithWebHostBuilder(b => b
            .UseSetting("Serverless:Orchestration:TaskHubName", hub)
            .UseSetting("Serverless:Orchestration:EnableWorkers", "false")
            .UseSetting("Serverless:Functions:LocalTriggers", "false"));
        using var client = factory.CreateClient();

        var catalog = factory.Services.GetRequiredService<FunctionCatalog>();
        var routes = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => "/" + (e.RoutePattern.RawText ?? "").TrimStart('/')).Distinct().ToList();
        var invocations = catalog.InvokedFunctions.Select(n => "/" + n).ToHashSet();

        Assert.Contains("/api/2.0/mlflow/runs/create", routes);
        Assert.True(routes.Count > 40, $"only {routes.Count} routes found");
        var uncovered = routes.Where(r => !invocations.Contains(r) && catalog.FindHttp(SampleOf(r)) is null).ToList();
        Assert.True(uncovered.Count == 0, "routes no HTTP function serves: " + string.Join(", ", uncovered));
        Assert.All(invocations, i => Assert.Contains(i, routes));
    }

    /// <summary>A concrete path for a route pattern: parameters replaced by a sample segment.</summary>
    private static string SampleOf(string pattern) =>
        string.Join('/', pattern.Split('/').Select(s => s.StartsWith('{') ? "x" : s));

    private static JsonElement Binding(string dir, string function, string type)
    {
        var json = JsonSerializer.Deserialize<JsonElement>(File.ReadAllText(Path.Combine(dir, function, "function.json")));
        return json.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString() == type);
    }
}
