using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Serverless.Host.Functions;
using Serverless.Testing;

namespace Serverless.FunctionsApp.Tests;

/// <summary>A host whose workers are off, so work started through the API stays visible in the hub's queues.</summary>
public sealed class PendingWorkTests : IAsyncLifetime, IDisposable
{
    private static readonly string[] s_one = ["a"];
    private readonly string _hub = TestNames.Unique("fnpend");
    private HostProcess _host = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _host = await HostProcess.StartCustomHandlerAsync(new Dictionary<string, string>
        {
            ["Serverless__Orchestration__TaskHubName"] = _hub,
            ["Serverless__Orchestration__EnableWorkers"] = "false",
            ["Serverless__Functions__MaxHold"] = "00:00:02",
            ["Serverless__Functions__ProbeInterval"] = "00:00:00.500",
        });
        _http = new HttpClient { BaseAddress = _host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public void Dispose() => _http?.Dispose();

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task Invocations_WorkWaitingInQueues_HoldThenQueueAnswersWithWakeOutput()
    {
        using var started = await _http.PostAsync("/runtime/webhooks/durabletask/orchestrators/Samples.HelloSequence", JsonContent.Create(s_one));
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);

        using var wake = await _http.PostAsync("/" + FunctionCatalog.EngineWake,
            new StringContent("""{"Data":{"message":"{}"},"Metadata":{"DequeueCount":1,"Id":"m1"}}""", Encoding.UTF8, "application/json"));
        var body = await wake.Content.ReadFromJsonAsync<JsonElement>();

        // Still busy after the hold: a new wake message goes out through the queue output binding.
        Assert.Equal(HttpStatusCode.OK, wake.StatusCode);
        Assert.True(body.GetProperty("ReturnValue").GetProperty("workRemaining").GetBoolean());
        Assert.True(body.GetProperty("ReturnValue").GetProperty("heldSeconds").GetDouble() >= 1.0);
        var output = body.GetProperty("Outputs").GetProperty(FunctionCatalog.WakeOutput).GetString()!;
        Assert.Equal("work-remaining", JsonSerializer.Deserialize<JsonElement>(output).GetProperty("Reason").GetString());

        using var tick = await _http.PostAsync("/" + FunctionCatalog.EngineTick,
            new StringContent("""{"Data":{"timer":{"IsPastDue":false}},"Metadata":{}}""", Encoding.UTF8, "application/json"));
        var tickBody = await tick.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(tickBody.GetProperty("ReturnValue").GetProperty("workRemaining").GetBoolean());
        Assert.False(tickBody.GetProperty("Outputs").TryGetProperty(FunctionCatalog.WakeOutput, out _));
    }
}
