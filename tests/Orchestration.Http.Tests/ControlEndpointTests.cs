using System.Net;
using System.Text.Json;

namespace Serverless.Orchestration.Http.Tests;

/// <summary>Events, terminate, suspend, resume, restart and rewind, driven through the URLs the 202 payload hands out.</summary>
public sealed class ControlEndpointTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private readonly DurableApiHost _host = fixture.Host;

    [Fact]
    public async Task RaiseEvent_ThroughSendEventUri_CompletesInstanceWithEventData()
    {
        var payload = await StartWaitingAsync();

        var raised = await _host.PostAsync(EventUri(payload, "Approve"), """{"by":"alice","score":0.93}""");

        Assert.Equal(HttpStatusCode.Accepted, raised.Status);
        var done = await _host.PollStatusAsync(StatusUri(payload), "Completed");
        Assert.Equal("alice", done.Json.GetProperty("output").GetProperty("by").GetString());
        Assert.Equal(0.93, done.Json.GetProperty("output").GetProperty("score").GetDouble());
        Assert.Equal("approved", done.Json.GetProperty("customStatus").GetProperty("stage").GetString());
    }

    [Fact]
    public async Task RaiseEvent_UnknownInstance_Returns404()
    {
        var response = await _host.PostAsync($"instances/ghost-{Guid.NewGuid():N}/raiseEvent/Approve", "1");

        response.AssertError(HttpStatusCode.NotFound, "InstanceNotFound");
    }

    [Fact]
    public async Task RaiseEvent_FinishedInstance_Returns410()
    {
        var payload = await _host.StartAsync("Echo", "1");
        await _host.PollStatusAsync(StatusUri(payload), "Completed");

        var response = await _host.PostAsync(EventUri(payload, "Approve"), "1");

        var message = response.AssertError(HttpStatusCode.Gone, "InstanceFinished");
        Assert.Contains("Completed", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RaiseEvent_MalformedJson_Returns400AndDeliversNothing()
    {
        var payload = await StartWaitingAsync();

        var response = await _host.PostAsync(EventUri(payload, "Approve"), """{"by": alice}""");

        var message = response.AssertError(HttpStatusCode.BadRequest, "InvalidJson");
        Assert.Contains("column 8", message, StringComparison.Ordinal);
        var status = await _host.GetAsync(StatusUri(payload));
        Assert.Equal("Running", status.Json.GetProperty("runtimeStatus").GetString());
        await _host.PostAsync(TerminateUri(payload, "cleanup"));
    }

    [Fact]
    public async Task Terminate_ThroughTerminateUri_EndsInstanceWithReason()
    {
        var payload = await StartWaitingAsync();

        var response = await _host.PostAsync(TerminateUri(payload, "budget exceeded"));

        Assert.Equal(HttpStatusCode.Accepted, response.Status);
        var done = await _host.PollStatusAsync(StatusUri(payload), "Terminated");
        Assert.Equal(HttpStatusCode.OK, done.Status);
        Assert.Equal("budget exceeded", done.Json.GetProperty("output").GetString());
    }

    [Fact]
    public async Task Terminate_FinishedInstance_Returns410_UnknownInstance_Returns404()
    {
        var payload = await _host.StartAsync("Echo", "1");
        await _host.PollStatusAsync(StatusUri(payload), "Completed");

        var finished = await _host.PostAsync(TerminateUri(payload, "late"));
        var unknown = await _host.PostAsync($"instances/ghost-{Guid.NewGuid():N}/terminate");

        finished.AssertError(HttpStatusCode.Gone, "InstanceFinished");
        unknown.AssertError(HttpStatusCode.NotFound, "InstanceNotFound");
    }

    [Fact]
    public async Task SuspendAndResume_ThroughPayloadUris_HoldEventsUntilResumed()
    {
        var payload = await StartWaitingAsync();

        var suspend = await _host.PostAsync(ReasonUri(payload, "suspendPostUri", "maintenance"));
        Assert.Equal(HttpStatusCode.Accepted, suspend.Status);
        var suspended = await _host.PollStatusAsync(StatusUri(payload), "Suspended");
        Assert.Equal(HttpStatusCode.Accepted, suspended.Status);
        Assert.Equal("5", suspended.Header("Retry-After"));

        var again = await _host.PostAsync(ReasonUri(payload, "suspendPostUri", "twice"));
        again.AssertError(HttpStatusCode.Conflict, "InvalidInstanceState");

        Assert.Equal(HttpStatusCode.Accepted, (await _host.PostAsync(EventUri(payload, "Approve"), "\"held\"")).Status);
        await Task.Delay(500);
        Assert.Equal("Suspended", (await _host.GetAsync(StatusUri(payload))).Json.GetProperty("runtimeStatus").GetString());

        var resume = await _host.PostAsync(ReasonUri(payload, "resumePostUri", "done"));
        Assert.Equal(HttpStatusCode.Accepted, resume.Status);
        var done = await _host.PollStatusAsync(StatusUri(payload), "Completed");
        Assert.Equal("held", done.Json.GetProperty("output").GetString());

        var history = await _host.GetAsync(StatusUri(payload) + "?showHistory=true");
        var events = history.Json.GetProperty("historyEvents").EnumerateArray().ToList();
        Assert.Equal("maintenance", events.Single(e => e.GetProperty("EventType").GetString() == "ExecutionSuspended").GetProperty("Reason").GetString());
        Assert.Equal("done", events.Single(e => e.GetProperty("EventType").GetString() == "ExecutionResumed").GetProperty("Reason").GetString());
    }

    [Fact]
    public async Task SuspendAndResume_FinishedInstance_Return410()
    {
        var payload = await _host.StartAsync("Echo", "1");
        await _host.PollStatusAsync(StatusUri(payload), "Completed");

        (await _host.PostAsync(ReasonUri(payload, "suspendPostUri", "x"))).AssertError(HttpStatusCode.Gone, "InstanceFinished");
        (await _host.PostAsync(ReasonUri(payload, "resumePostUri", "x"))).AssertError(HttpStatusCode.Gone, "InstanceFinished");
        (await _host.PostAsync($"instances/ghost-{Guid.NewGuid():N}/suspend")).AssertError(HttpStatusCode.NotFound, "InstanceNotFound");
    }

    [Fact]
    public async Task Restart_WithNewInstanceId_Returns202PayloadForNewInstanceWithSameInput()
    {
        var payload = await _host.StartAsync("Echo", """{"epoch":3}""");
        await _host.PollStatusAsync(StatusUri(payload), "Completed");

        var restart = await _host.PostAsync(payload.GetProperty("restartPostUri").GetString()!);

        Assert.Equal(HttpStatusCode.Accepted, restart.Status);
        var newId = restart.Json.GetProperty("id").GetString();
        Assert.NotEqual(payload.GetProperty("id").GetString(), newId);
        Assert.Equal(restart.Json.GetProperty("statusQueryGetUri").GetString(), restart.Header("Location"));
        Assert.Equal("10", restart.Header("Retry-After"));
        var done = await _host.PollStatusAsync(restart.Json.GetProperty("statusQueryGetUri").GetString()!, "Completed");
        Assert.Equal(3, done.Json.GetProperty("output").GetProperty("epoch").GetInt32());
    }

    [Fact]
    public async Task Restart_SameInstanceId_ReusesIdAndRefusesWhileRunning()
    {
        var waiting = await StartWaitingAsync();
        var refused = await _host.PostAsync(waiting.GetProperty("restartPostUri").GetString() + "?restartWithNewInstanceId=false");
        refused.AssertError(HttpStatusCode.Conflict, "InstanceAlreadyExists");
        await _host.PostAsync(TerminateUri(waiting, "cleanup"));

        var payload = await _host.StartAsync("Echo", "5");
        await _host.PollStatusAsync(StatusUri(payload), "Completed");
        var restart = await _host.PostAsync(payload.GetProperty("restartPostUri").GetString() + "?restartWithNewInstanceId=false");

        Assert.Equal(HttpStatusCode.Accepted, restart.Status);
        Assert.Equal(payload.GetProperty("id").GetString(), restart.Json.GetProperty("id").GetString());
        await _host.PollStatusAsync(StatusUri(payload), "Completed");
    }

    [Fact]
    public async Task Restart_BadFlagOrUnknownInstance_ReturnsClearErrors()
    {
        var badFlag = await _host.PostAsync("instances/any/restart?restartWithNewInstanceId=sometimes");
        var unknown = await _host.PostAsync($"instances/ghost-{Guid.NewGuid():N}/restart");

        Assert.Contains("restartWithNewInstanceId", badFlag.AssertError(HttpStatusCode.BadRequest, "InvalidParameter"), StringComparison.Ordinal);
        unknown.AssertError(HttpStatusCode.NotFound, "InstanceNotFound");
    }

    [Fact]
    public async Task Rewind_IsNotSupported_Returns501()
    {
        var response = await _host.PostAsync("instances/any/rewind?reason=x");

        Assert.Contains("restart", response.AssertError(HttpStatusCode.NotImplemented, "NotSupported"), StringComparison.Ordinal);
    }

    private async Task<JsonElement> StartWaitingAsync()
    {
        var payload = await _host.StartAsync("Approval");
        await _host.PollAsync(StatusUri(payload), j => j.GetProperty("customStatus").ValueKind == JsonValueKind.Object);
        return payload;
    }

    private static string StatusUri(JsonElement payload) => payload.GetProperty("statusQueryGetUri").GetString()!;

    private static string EventUri(JsonElement payload, string name) =>
        payload.GetProperty("sendEventPostUri").GetString()!.Replace("{eventName}", name, StringComparison.Ordinal);

    private static string TerminateUri(JsonElement payload, string reason) => ReasonUri(payload, "terminatePostUri", reason);

    private static string ReasonUri(JsonElement payload, string property, string reason) =>
        payload.GetProperty(property).GetString()!.Replace("{text}", Uri.EscapeDataString(reason), StringComparison.Ordinal);
}
