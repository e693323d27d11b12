using System.Net;
using System.Text.Json;

namespace Serverless.Orchestration.Http.Tests;

public sealed class StartEndpointTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private readonly DurableApiHost _host = fixture.Host;

    [Fact]
    public async Task Start_JsonBody_Returns202WithPayloadLocationAndRetryAfter()
    {
        var response = await _host.PostAsync("orchestrators/Echo", """{"model":"resnet","layers":[1,2,3]}""");

        Assert.Equal(HttpStatusCode.Accepted, response.Status);
        var payload = response.Json;
        var id = payload.GetProperty("id").GetString()!;
        var instance = $"{_host.Root}runtime/webhooks/durabletask/instances/{id}";
        Assert.Equal(instance, payload.GetProperty("statusQueryGetUri").GetString());
        Assert.Equal(instance + "/raiseEvent/{eventName}", payload.GetProperty("sendEventPostUri").GetString());
        Assert.Equal(instance + "/terminate?reason={text}", payload.GetProperty("terminatePostUri").GetString());
        Assert.Equal(instance, payload.GetProperty("purgeHistoryDeleteUri").GetString());
        Assert.Equal(instance + "/restart", payload.GetProperty("restartPostUri").GetString());
        Assert.Equal(instance + "/suspend?reason={text}", payload.GetProperty("suspendPostUri").GetString());
        Assert.Equal(instance + "/resume?reason={text}", payload.GetProperty("resumePostUri").GetString());
        Assert.False(payload.TryGetProperty("rewindPostUri", out _));
        Assert.Equal(instance, response.Header("Location"));
        Assert.Equal("10", response.Header("Retry-After"));
    }

    [Fact]
    public async Task Start_JsonBody_StatusUriReportsInputAndOutputAsJsonValues()
    {
        var payload = await _host.StartAsync("Echo", """{"model":"resnet","layers":[1,2,3]}""");

        var done = await _host.PollStatusAsync(payload.GetProperty("statusQueryGetUri").GetString()!, "Completed");

        Assert.Equal(HttpStatusCode.OK, done.Status);
        var status = done.Json;
        Assert.Equal("Echo", status.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Object, status.GetProperty("input").ValueKind);
        Assert.Equal("resnet", status.GetProperty("output").GetProperty("model").GetString());
        Assert.Equal(3, status.GetProperty("output").GetProperty("layers").GetArrayLength());
    }

    [Theory]
    [InlineData("42", JsonValueKind.Number)]
    [InlineData("\"just text\"", JsonValueKind.String)]
    [InlineData("[true, null]", JsonValueKind.Array)]
    [InlineData("  null  ", JsonValueKind.Null)]
    public async Task Start_AnyJsonValue_IsTheInput(string body, JsonValueKind kind)
    {
        var payload = await _host.StartAsync("Echo", body);

        var done = await _host.PollStatusAsync(payload.GetProperty("statusQueryGetUri").GetString()!, "Completed");

        Assert.Equal(kind, done.Json.GetProperty("input").ValueKind);
        Assert.Equal(JsonSerializer.Serialize(JsonDocument.Parse(body).RootElement), JsonSerializer.Serialize(done.Json.GetProperty("output")));
    }

    [Fact]
    public async Task Start_EmptyBody_StartsWithNullInput()
    {
        var payload = await _host.StartAsync("Sequence");

        var done = await _host.PollStatusAsync(payload.GetProperty("statusQueryGetUri").GetString()!, "Completed");

        Assert.Equal(JsonValueKind.Null, done.Json.GetProperty("input").ValueKind);
        Assert.Equal("Hello London!", done.Json.GetProperty("output")[2].GetString());
    }

    [Fact]
    public async Task Start_GivenInstanceId_UsesItAndRefusesASecondStartWhileRunning()
    {
        var id = "training-" + Guid.NewGuid().ToString("N");
        var payload = await _host.StartAsync("Approval", null, id);
        Assert.Equal(id, payload.GetProperty("id").GetString());

        var again = await _host.PostAsync($"orchestrators/Approval/{id}");

        var message = again.AssertError(HttpStatusCode.Conflict, "InstanceAlreadyExists");
        Assert.Contains(id, message, StringComparison.Ordinal);
        await _host.Client.TerminateAsync(id, "test cleanup");
    }

    [Fact]
    public async Task Start_GivenIdOfFinishedInstance_StartsItAgain()
    {
        var id = "rerun-" + Guid.NewGuid().ToString("N");
        var first = await _host.StartAsync("Echo", "1", id);
        await _host.PollStatusAsync(first.GetProperty("statusQueryGetUri").GetString()!, "Completed");

        var second = await _host.StartAsync("Echo", "2", id);
        var done = await _host.PollAsync(second.GetProperty("statusQueryGetUri").GetString()!,
            j => j.GetProperty("runtimeStatus").GetString() == "Completed" && j.GetProperty("output").ValueKind == JsonValueKind.Number && j.GetProperty("output").GetInt32() == 2);

        Assert.Equal(2, done.Json.GetProperty("input").GetInt32());
    }

    [Fact]
    public async Task Start_InstanceIdWithSpacesAndUnicode_PayloadUrisEscapeAndRoundTrip()
    {
        var id = $"run 1 über+lr=0.1 {Guid.NewGuid():N}";

        var payload = await _host.StartAsync("Echo", "7", id);

        Assert.Equal(id, payload.GetProperty("id").GetString());
        var statusUri = payload.GetProperty("statusQueryGetUri").GetString()!;
        Assert.EndsWith("/instances/" + Uri.EscapeDataString(id), statusUri, StringComparison.Ordinal);
        var done = await _host.PollStatusAsync(statusUri, "Completed");
        Assert.Equal(id, done.Json.GetProperty("instanceId").GetString());
    }

    [Theory]
    [InlineData("""{"a": 1,""", "line 1")]
    [InlineData("{\n  \"a\": 1\n  \"b\": 2\n}", "line 3")]
    [InlineData("yes please", "line 1, column 1")]
    [InlineData("{} {}", "line 1, column 4")]
    public async Task Start_MalformedJson_Returns400WithPosition(string body, string position)
    {
        var response = await _host.PostAsync("orchestrators/Echo", body);

        var message = response.AssertError(HttpStatusCode.BadRequest, "InvalidJson");
        Assert.Contains("request body is not valid JSON", message, StringComparison.Ordinal);
        Assert.Contains(position, message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a%2Fb", "'/'")]
    [InlineData("a%5Cb", "'\\'")]
    [InlineData("a%23b", "'#'")]
    [InlineData("a%3Fb", "'?'")]
    [InlineData("a%01b", "\\u0001")]
    public async Task Start_InstanceIdWithForbiddenCharacter_Returns400NamingIt(string encodedId, string named)
    {
        var response = await _host.PostAsync($"orchestrators/Echo/{encodedId}");

        var message = response.AssertError(HttpStatusCode.BadRequest, "InvalidInstanceId");
        Assert.Contains("instanceId", message, StringComparison.Ordinal);
        Assert.Contains(named, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_InstanceIdTooLong_Returns400NamingTheLimit()
    {
        var response = await _host.PostAsync($"orchestrators/Echo/{new string('x', 300)}");

        var message = response.AssertError(HttpStatusCode.BadRequest, "InvalidInstanceId");
        Assert.Contains("300 characters", message, StringComparison.Ordinal);
        Assert.Contains("256", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_UnregisteredOrchestrator_Returns400ListingRegisteredOnes()
    {
        var response = await _host.PostAsync("orchestrators/Sequense");

        var message = response.AssertError(HttpStatusCode.BadRequest, "UnknownOrchestrator");
        Assert.Contains("'Sequense'", message, StringComparison.Ordinal);
        Assert.Contains("Sequence", message.Replace("'Sequense'", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownRoute_Returns404JsonError()
    {
        var response = await _host.GetAsync("orchestrators/Echo");

        var message = response.AssertError(HttpStatusCode.NotFound, "EndpointNotFound");
        Assert.Contains("GET", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OtherTaskHub_Returns400NamingIt()
    {
        var response = await _host.PostAsync("orchestrators/Echo?taskHub=otherhub");

        var message = response.AssertError(HttpStatusCode.BadRequest, "InvalidParameter");
        Assert.Contains("taskHub", message, StringComparison.Ordinal);
        Assert.Contains("otherhub", message, StringComparison.Ordinal);
    }
}
