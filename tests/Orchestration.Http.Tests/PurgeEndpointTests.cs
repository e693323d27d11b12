using System.Net;

namespace Serverless.Orchestration.Http.Tests;

/// <summary>Purges; its own hub (fixture) so counts of purged instances are exact.</summary>
public sealed class PurgeEndpointTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private readonly DurableApiHost _host = fixture.Host;

    [Fact]
    public async Task PurgeOne_FinishedInstance_Returns200ThenIsGone()
    {
        var payload = await _host.StartAsync("Echo", "1");
        var statusUri = payload.GetProperty("statusQueryGetUri").GetString()!;
        await _host.PollStatusAsync(statusUri, "Completed");

        var purged = await _host.DeleteAsync(payload.GetProperty("purgeHistoryDeleteUri").GetString()!);

        Assert.Equal(HttpStatusCode.OK, purged.Status);
        Assert.Equal("""{"instancesDeleted":1}""", purged.Text);
        (await _host.GetAsync(statusUri)).AssertError(HttpStatusCode.NotFound, "InstanceNotFound");
        (await _host.DeleteAsync(statusUri)).AssertError(HttpStatusCode.NotFound, "InstanceNotFound");
        Assert.Null(await _host.Client.GetHistoryAsync(payload.GetProperty("id").GetString()!));
    }

    [Fact]
    public async Task PurgeOne_RunningInstance_Returns409AndKeepsIt()
    {
        var payload = await _host.StartAsync("Approval");
        var statusUri = payload.GetProperty("statusQueryGetUri").GetString()!;
        await _host.PollStatusAsync(statusUri, "Running");

        var response = await _host.DeleteAsync(statusUri);

        var message = response.AssertError(HttpStatusCode.Conflict, "InstanceNotFinished");
        Assert.Contains("Running", message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Accepted, (await _host.GetAsync(statusUri)).Status);
        await _host.Client.TerminateAsync(payload.GetProperty("id").GetString()!);
    }

    [Fact]
    public async Task PurgeMany_ByCreatedTimeAndStatus_DeletesOnlyMatchingFinishedInstances()
    {
        var from = DateTime.UtcNow.AddSeconds(-1);
        var completed = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var p = await _host.StartAsync("Echo", "1");
            completed.Add(p.GetProperty("statusQueryGetUri").GetString()!);
        }

        var failed = (await _host.StartAsync("Fails")).GetProperty("statusQueryGetUri").GetString()!;
        var running = (await _host.StartAsync("Approval")).GetProperty("statusQueryGetUri").GetString()!;
        foreach (var uri in completed)
        {
            await _host.PollStatusAsync(uri, "Completed");
        }

        await _host.PollStatusAsync(failed, "Failed");
        await _host.PollStatusAsync(running, "Running");
        var range = $"createdTimeFrom={from:yyyy-MM-ddTHH:mm:ss.fffZ}&createdTimeTo={DateTime.UtcNow.AddMinutes(1):yyyy-MM-ddTHH:mm:ssZ}";

        var purged = await _host.DeleteAsync($"instances?{range}&runtimeStatus=Completed");
        var again = await _host.DeleteAsync($"instances?{range}&runtimeStatus=Completed");

        Assert.Equal(HttpStatusCode.OK, purged.Status);
        Assert.Equal("""{"instancesDeleted":3}""", purged.Text);
        again.AssertError(HttpStatusCode.NotFound, "NoInstancesMatched");
        Assert.Equal(0, again.Json.GetProperty("instancesDeleted").GetInt32());
        foreach (var uri in completed)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await _host.GetAsync(uri)).Status);
        }

        Assert.Equal(HttpStatusCode.OK, (await _host.GetAsync(failed)).Status);
        Assert.Equal(HttpStatusCode.Accepted, (await _host.GetAsync(running)).Status);

        var rest = await _host.DeleteAsync($"instances?{range}");
        Assert.Equal("""{"instancesDeleted":1}""", rest.Text);
        Assert.Equal(HttpStatusCode.NotFound, (await _host.GetAsync(failed)).Status);
        Assert.Equal(HttpStatusCode.Accepted, (await _host.GetAsync(running)).Status);
        await _host.PostAsync(running + "/terminate");
    }

    [Theory]
    [InlineData("runtimeStatus=Completed", "createdTimeFrom", "required")]
    [InlineData("createdTimeFrom=2020-01-01&runtimeStatus=Completed,Running", "runtimeStatus", "'Running'")]
    [InlineData("createdTimeFrom=01/02/2020", "createdTimeFrom", "ISO 8601")]
    public async Task PurgeMany_BadFilter_Returns400NamingParameter(string query, string parameter, string detail)
    {
        var response = await _host.DeleteAsync("instances?" + query);

        var message = response.AssertError(HttpStatusCode.BadRequest, "InvalidParameter");
        Assert.Contains($"'{parameter}'", message, StringComparison.Ordinal);
        Assert.Contains(detail, message, StringComparison.Ordinal);
    }
}
