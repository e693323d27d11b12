using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Serverless.Host.Functions;
using Serverless.Orchestration.Diagnostics;
using Serverless.Storage;
using Serverless.Testing;

namespace Serverless.FunctionsApp.Tests;

/// <summary>One host started as the Functions host starts a custom handler, with workers, exporting OTLP to a loopback receiver.</summary>
public sealed class CustomHandlerFixture : IAsyncLifetime
{
    public string Hub { get; } = TestNames.Unique("fnapp");

    public LoopbackServer Otlp { get; } = new();

    public HostProcess Host { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Host = await HostProcess.StartCustomHandlerAsync(new Dictionary<string, string>
        {
            ["Serverless__Orchestration__TaskHubName"] = Hub,
            ["Serverless__Functions__MaxHold"] = "00:00:03",
            ["Serverless__Functions__ProbeInterval"] = "00:00:00.500",
            ["Serverless__Telemetry__QueueDepthInterval"] = "00:00:01",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Otlp.BaseAddress.ToString().TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "1000",
        });
        Http = new HttpClient { BaseAddress = Host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
        Otlp.Dispose();
    }
}

public sealed class CustomHandlerTests(CustomHandlerFixture fixture) : IClassFixture<CustomHandlerFixture>
{
    private static readonly string[] s_cities = ["Tokyo", "Oslo"];
    private static readonly string[] s_one = ["x"];

    private HttpClient Http => fixture.Http;

    [Fact]
    public async Task TimerInvocation_DocumentedPayload_ReturnsOutputsLogsAndReturnValue()
    {
        // The payload the Functions host sends for a timer trigger (binding name "timer").
        var payload = """
            {"Data":{"timer":{"Schedule":{"AdjustForDST":true},"ScheduleStatus":{"Last":"2026-01-01T00:00:00Z","Next":"2026-01-01T00:01:00Z","LastUpdated":"2026-01-01T00:00:00Z"},"IsPastDue":true}},
             "Metadata":{"timer":{"IsPastDue":true},"sys":{"MethodName":"EngineTick","UtcNow":"2026-01-01T00:01:00Z","RandGuid":"0f8fad5b-d9cb-469f-a165-70867728950e"}}}
            """;
        using var response = await Http.PostAsync("/" + FunctionCatalog.EngineTick, new StringContent(payload, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(JsonValueKind.Object, body.GetProperty("Outputs").ValueKind);
        var logs = body.GetProperty("Logs").EnumerateArray().Select(l => l.GetString()).ToList();
        Assert.Contains(logs, l => l!.Contains("past due", StringComparison.Ordinal));
        Assert.Contains(logs, l => l!.StartsWith("EngineTick: held", StringComparison.Ordinal));
        Assert.True(body.GetProperty("ReturnValue").TryGetProperty("workRemaining", out _));
    }

    [Fact]
    public async Task QueueInvocation_DocumentedPayload_IsAcknowledged()
    {
        var payload = """
            {"Data":{"message":"{\"Reason\":\"request\",\"SentAt\":\"2026-01-01T00:00:00Z\"}"},
             "Metadata":{"DequeueCount":1,"ExpirationTime":"2026-01-08T00:00:00+00:00","Id":"5b1a4c4e-0000-0000-0000-000000000000","InsertionTime":"2026-01-01T00:00:00+00:00",
                         "NextVisibleTime":"2026-01-01T00:10:00+00:00","PopReceipt":"AgAAAAMAAAAAAAAA","sys":{"MethodName":"EngineWake","UtcNow":"2026-01-01T00:00:01Z","RandGuid":"7c9e6679-7425-40de-944b-e07fc1f90ae7"}}}
            """;
        using var response = await Http.PostAsync("/" + FunctionCatalog.EngineWake, new StringContent(payload, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(JsonValueKind.Array, body.GetProperty("Logs").ValueKind);
        Assert.Contains(body.GetProperty("Logs").EnumerateArray(), l => l.GetString()!.StartsWith("EngineWake: held", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Invocation_BodyNotJson_Returns400NamingFunctionAndExpectedShape()
    {
        using var response = await Http.PostAsync("/" + FunctionCatalog.EngineWake, new StringContent("not json", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString()!;
        Assert.Contains("EngineWake", error, StringComparison.Ordinal);
        Assert.Contains("\"Data\"", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invocation_FunctionNotInCatalog_Returns404()
    {
        using var response = await Http.PostAsync("/NoSuchFunction", new StringContent("{\"Data\":{},\"Metadata\":{}}", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task ProxiedHttp_StartOrchestration_CompletesAndExportsEngineSpansWithInstanceId()
    {
        // Proxied exactly as the Functions host forwards it: same path and body, the function key still on the request.
        var instanceId = "fn-" + Guid.NewGuid().ToString("N");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/runtime/webhooks/durabletask/orchestrators/Samples.HelloSequence/{instanceId}")
        {
            Content = JsonContent.Create(s_cities),
        };
        request.Headers.Add("x-functions-key", "any-key-the-functions-host-already-checked");
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        using var started = await Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);

        var status = await WaitForStatusAsync(instanceId, "Completed", TimeSpan.FromSeconds(60));
        Assert.Equal("Completed", status);

        // The engine's spans reach the OTLP receiver with the instance id attribute.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        string[] traces = [];
        while (DateTime.UtcNow < deadline)
        {
            traces = [.. fixture.Otlp.Bodies("/v1/traces")];
            if (traces.Any(t => t.Contains(EngineTelemetry.EpisodeSpanName, StringComparison.Ordinal) && t.Contains(instanceId, StringComparison.Ordinal)) &&
                traces.Any(t => t.Contains(EngineTelemetry.ActivitySpanName, StringComparison.Ordinal) && t.Contains(instanceId, StringComparison.Ordinal)))
            {
                break;
            }

            await Task.Delay(250);
        }

        var all = string.Concat(traces);
        Assert.Contains(EngineTelemetry.EpisodeSpanName, all, StringComparison.Ordinal);
        Assert.Contains(EngineTelemetry.ActivitySpanName, all, StringComparison.Ordinal);
        Assert.Contains(EngineTelemetry.InstanceIdTag, all, StringComparison.Ordinal);
        Assert.Contains(instanceId, all, StringComparison.Ordinal);
        Assert.Contains("Samples.SayHello", all, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_UnderLoad_ExportQueueDepthAndDurations()
    {
        using var started = await Http.PostAsync("/runtime/webhooks/durabletask/orchestrators/Samples.HelloSequence", JsonContent.Create(s_one));
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);

        var deadline = DateTime.UtcNow.AddSeconds(30);
        var all = "";
        while (DateTime.UtcNow < deadline)
        {
            all = string.Concat(fixture.Otlp.Bodies("/v1/metrics"));
            if (all.Contains("serverless.orchestration.queue.depth", StringComparison.Ordinal) &&
                all.Contains("serverless.orchestration.episode.duration", StringComparison.Ordinal))
            {
                break;
            }

            await Task.Delay(250);
        }

        Assert.Contains("serverless.orchestration.queue.depth", all, StringComparison.Ordinal);
        Assert.Contains(fixture.Hub + "-workitems", all, StringComparison.Ordinal);
        Assert.Contains("serverless.orchestration.episode.duration", all, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteRequest_UnderFunctionsHost_PostsWakeMessage()
    {
        var storage = new StorageClients(StorageOptions.Development());
        var wake = storage.Queues.GetQueueClient(FunctionCatalog.WakeQueue(fixture.Hub));

        using var started = await Http.PostAsync("/runtime/webhooks/durabletask/orchestrators/Samples.HelloSequence", JsonContent.Create(s_one));
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);

        // Nothing consumes the wake queue here (the Functions host would): the message stays for us to read.
        var peeked = (await wake.PeekMessagesAsync(32)).Value;
        Assert.NotEmpty(peeked);
        var message = JsonSerializer.Deserialize<JsonElement>(peeked[0].Body.ToString());
        Assert.Equal("request", message.GetProperty("Reason").GetString());
    }

    private async Task<string?> WaitForStatusAsync(string instanceId, string wanted, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        string? status = null;
        while (DateTime.UtcNow < deadline)
        {
            using var response = await Http.GetAsync($"/runtime/webhooks/durabletask/instances/{instanceId}");
            if (response.IsSuccessStatusCode)
            {
                status = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runtimeStatus").GetString();
                if (status == wanted)
                {
                    return status;
                }
            }

            await Task.Delay(200);
        }

        return status;
    }
}
