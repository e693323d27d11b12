using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Serverless.Orchestration.Http.Tests;

public sealed partial class StatusEndpointTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private readonly DurableApiHost _host = fixture.Host;

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")]
    private static partial Regex WholeSecondUtc();

    [Fact]
    public async Task GetStatus_Completed_Returns200WithDurableShape()
    {
        var payload = await _host.StartAsync("Sequence", """{"run":7}""");

        var done = await _host.PollStatusAsync(payload.GetProperty("statusQueryGetUri").GetString()!, "Completed");

        Assert.Equal(HttpStatusCode.OK, done.Status);
        Assert.Null(done.Header("Retry-After"));
        var status = done.Json;
        Assert.Equal(
            ["name", "instanceId", "runtimeStatus", "input", "customStatus", "output", "createdTime", "lastUpdatedTime"],
            status.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal("Sequence", status.GetProperty("name").GetString());
        Assert.Equal(payload.GetProperty("id").GetString(), status.GetProperty("instanceId").GetString());
        Assert.Equal(7, status.GetProperty("input").GetProperty("run").GetInt32());
        Assert.Equal(JsonValueKind.Null, status.GetProperty("customStatus").ValueKind);
        Assert.Equal(["Hello Tokyo!", "Hello Seattle!", "Hello London!"], status.GetProperty("output").EnumerateArray().Select(e => e.GetString()));
        Assert.Matches(WholeSecondUtc(), status.GetProperty("createdTime").GetString());
        Assert.Matches(WholeSecondUtc(), status.GetProperty("lastUpdatedTime").GetString());
        var created = DateTime.Parse(status.GetProperty("createdTime").GetString()!, System.Globalization.CultureInfo.InvariantCulture).ToUniversalTime();
        Assert.InRange(created, DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddMinutes(1));
    }

    [Fact]
    public async Task GetStatus_Running_Returns202WithLocationRetryAfterAndCustomStatus()
    {
        var payload = await _host.StartAsync("Approval");
        var statusUri = payload.GetProperty("statusQueryGetUri").GetString()!;

        var waiting = await _host.PollAsync(statusUri, j => j.GetProperty("customStatus").ValueKind == JsonValueKind.Object);

        Assert.Equal(HttpStatusCode.Accepted, waiting.Status);
        Assert.Equal("Running", waiting.Json.GetProperty("runtimeStatus").GetString());
        Assert.Equal("waiting", waiting.Json.GetProperty("customStatus").GetProperty("stage").GetString());
        Assert.Equal(statusUri, waiting.Header("Location"));
        Assert.Equal("5", waiting.Header("Retry-After"));
        await _host.Client.TerminateAsync(payload.GetProperty("id").GetString()!);
    }

    [Fact]
    public async Task GetStatus_ShowHistoryWithOutput_ListsCondensedEventsWithResults()
    {
        var payload = await _host.StartAsync("Sequence");
        var statusUri = payload.GetProperty("statusQueryGetUri").GetString()!;
        await _host.PollStatusAsync(statusUri, "Completed");

        var response = await _host.GetAsync(statusUri + "?showHistory=true&showHistoryOutput=true");

        var events = response.Json.GetProperty("historyEvents").EnumerateArray().ToList();
        Assert.Equal(["ExecutionStarted", "TaskCompleted", "TaskCompleted", "TaskCompleted", "ExecutionCompleted"],
            events.Select(e => e.GetProperty("EventType").GetString()));
        Assert.Equal("Sequence", events[0].GetProperty("FunctionName").GetString());
        Assert.All(events.Skip(1).Take(3), e =>
        {
            Assert.Equal("Hello", e.GetProperty("FunctionName").GetString());
            Assert.True(e.GetProperty("ScheduledTime").GetDateTime() <= e.GetProperty("Timestamp").GetDateTime());
        });
        Assert.Equal("Hello Seattle!", events[2].GetProperty("Result").GetString());
        Assert.Equal("Completed", events[4].GetProperty("OrchestrationStatus").GetString());
        Assert.Equal(3, events[4].GetProperty("Result").GetArrayLength());
        var times = events.Select(e => e.GetProperty("Timestamp").GetDateTime()).ToList();
        Assert.Equal(times.Order(), times);
    }

    [Fact]
    public async Task GetStatus_ShowHistoryWithoutOutput_LeavesPayloadsOut()
    {
        var payload = await _host.StartAsync("Sequence", "\"secret\"");
        var statusUri = payload.GetProperty("statusQueryGetUri").GetString()!;
        await _host.PollStatusAsync(statusUri, "Completed");

        var response = await _host.GetAsync(statusUri + "?showHistory=true&showInput=false");

        var status = response.Json;
        Assert.Equal(JsonValueKind.Null, status.GetProperty("input").ValueKind);
        var events = status.GetProperty("historyEvents").EnumerateArray().ToList();
        Assert.Equal(5, events.Count);
        Assert.All(events, e => Assert.False(e.TryGetProperty("Result", out _) || e.TryGetProperty("Input", out _)));
        Assert.DoesNotContain("secret", response.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetStatus_WaitingInstanceHistory_ShowsEventAndCustomStatus()
    {
        var payload = await _host.StartAsync("Approval");
        var statusUri = payload.GetProperty("statusQueryGetUri").GetString()!;
        await _host.PollAsync(statusUri, j => j.GetProperty("customStatus").ValueKind == JsonValueKind.Object);
        await _host.PostAsync(payload.GetProperty("sendEventPostUri").GetString()!.Replace("{eventName}", "Approve", StringComparison.Ordinal), """{"by":"alice"}""");
        await _host.PollStatusAsync(statusUri, "Completed");

        var response = await _host.GetAsync(statusUri + "?showHistory&showHistoryOutput");

        var raised = Assert.Single(response.Json.GetProperty("historyEvents").EnumerateArray(), e => e.GetProperty("EventType").GetString() == "EventRaised");
        Assert.Equal("Approve", raised.GetProperty("Name").GetString());
        Assert.Equal("alice", raised.GetProperty("Input").GetProperty("by").GetString());
    }

    [Fact]
    public async Task GetStatus_TimerHistory_ShowsCreatedAndFiredWithSameFireAt()
    {
        var payload = await _host.StartAsync("Nap");
        var statusUri = payload.GetProperty("statusQueryGetUri").GetString()!;
        await _host.PollStatusAsync(statusUri, "Completed");

        var response = await _host.GetAsync(statusUri + "?showHistory=true");

        var events = response.Json.GetProperty("historyEvents").EnumerateArray().ToList();
        var created = Assert.Single(events, e => e.GetProperty("EventType").GetString() == "TimerCreated");
        var fired = Assert.Single(events, e => e.GetProperty("EventType").GetString() == "TimerFired");
        Assert.Equal(created.GetProperty("FireAt").GetString(), fired.GetProperty("FireAt").GetString());
        Assert.True(fired.GetProperty("Timestamp").GetDateTime() >= fired.GetProperty("FireAt").GetDateTime());
    }

    [Fact]
    public async Task GetStatus_Failed_Returns200WithMessageOutputAndFailureDetails()
    {
        var payload = await _host.StartAsync("Fails");
        var statusUri = payload.GetProperty("statusQueryGetUri").GetString()!;

        var failed = await _host.PollStatusAsync(statusUri, "Failed");

        Assert.Equal(HttpStatusCode.OK, failed.Status);
        var status = failed.Json;
        var output = status.GetProperty("output").GetString()!;
        Assert.StartsWith("Orchestrator function 'Fails' failed:", output, StringComparison.Ordinal);
        Assert.Contains("disk full on node 7", output, StringComparison.Ordinal);
        var details = status.GetProperty("failureDetails");
        Assert.False(string.IsNullOrEmpty(details.GetProperty("errorType").GetString()));
        Assert.Contains("disk full on node 7", details.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetStatus_FailedWithReturnInternalServerErrorOnFailure_Returns500WithStatusBody()
    {
        var payload = await _host.StartAsync("Fails");
        var statusUri = payload.GetProperty("statusQueryGetUri").GetString()!;
        await _host.PollStatusAsync(statusUri, "Failed");

        var response = await _host.GetAsync(statusUri + "?returnInternalServerErrorOnFailure=true&showHistory=true");

        Assert.Equal(HttpStatusCode.InternalServerError, response.Status);
        Assert.Equal("Failed", response.Json.GetProperty("runtimeStatus").GetString());
        var failedTask = Assert.Single(response.Json.GetProperty("historyEvents").EnumerateArray(), e => e.GetProperty("EventType").GetString() == "TaskFailed");
        Assert.Equal("Boom", failedTask.GetProperty("FunctionName").GetString());
        Assert.Contains("disk full on node 7", failedTask.GetProperty("Reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetStatus_CompletedWithReturnInternalServerErrorOnFailure_StillReturns200()
    {
        var payload = await _host.StartAsync("Echo", "1");
        var statusUri = payload.GetProperty("statusQueryGetUri").GetString()!;
        await _host.PollStatusAsync(statusUri, "Completed");

        var response = await _host.GetAsync(statusUri + "?returnInternalServerErrorOnFailure=true");

        Assert.Equal(HttpStatusCode.OK, response.Status);
    }

    [Fact]
    public async Task GetStatus_UnknownInstance_Returns404JsonError()
    {
        var response = await _host.GetAsync("instances/no-such-instance-" + Guid.NewGuid().ToString("N"));

        var message = response.AssertError(HttpStatusCode.NotFound, "InstanceNotFound");
        Assert.Contains("no-such-instance-", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("showHistory=yes", "showHistory")]
    [InlineData("showInput=2", "showInput")]
    [InlineData("returnInternalServerErrorOnFailure=maybe", "returnInternalServerErrorOnFailure")]
    public async Task GetStatus_BadBoolean_Returns400NamingParameterAndValue(string query, string parameter)
    {
        var response = await _host.GetAsync("instances/anything?" + query);

        var message = response.AssertError(HttpStatusCode.BadRequest, "InvalidParameter");
        Assert.Contains($"'{parameter}'", message, StringComparison.Ordinal);
        Assert.Contains(query.Split('=')[1], message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetStatus_InvalidInstanceId_Returns400()
    {
        var response = await _host.GetAsync("instances/bad%23id");

        response.AssertError(HttpStatusCode.BadRequest, "InvalidInstanceId");
    }
}
