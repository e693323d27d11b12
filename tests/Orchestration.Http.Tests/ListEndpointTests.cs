using System.Net;
using System.Text.Json;

namespace Serverless.Orchestration.Http.Tests;

public sealed class ListEndpointTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private const string Continuation = "x-ms-continuation-token";
    private readonly DurableApiHost _host = fixture.Host;

    [Fact]
    public async Task List_SmallTop_PagesThroughEveryInstanceWithContinuationHeader()
    {
        var prefix = $"page{Guid.NewGuid():N}-";
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await _host.StartAsync("Echo", i.ToString(System.Globalization.CultureInfo.InvariantCulture), prefix + i)).GetProperty("id").GetString()!);
        }

        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var headers = token is null ? null : new[] { KeyValuePair.Create(Continuation, token) };
            var response = await _host.SendAsync(HttpMethod.Get, $"instances?instanceIdPrefix={prefix}&top=2", headers: headers);
            Assert.Equal(HttpStatusCode.OK, response.Status);
            var page = response.Json.EnumerateArray().ToList();
            Assert.InRange(page.Count, 0, 2);
            seen.AddRange(page.Select(s => s.GetProperty("instanceId").GetString()!));
            Assert.All(page, s => Assert.Equal("Echo", s.GetProperty("name").GetString()));
            token = response.Header(Continuation);
            pages++;
            Assert.True(pages < 20, "paging did not end");
        }
        while (token is not null);

        Assert.True(pages >= 3, $"5 instances in pages of 2 came back in {pages} page(s)");
        Assert.Equal(ids.Order(), seen.Order());
    }

    [Fact]
    public async Task List_RuntimeStatusFilter_ReturnsOnlyThoseStatuses()
    {
        var prefix = $"stat{Guid.NewGuid():N}-";
        var running = await _host.StartAsync("Approval", null, prefix + "running");
        var completed = await _host.StartAsync("Echo", "1", prefix + "completed");
        var failed = await _host.StartAsync("Fails", null, prefix + "failed");
        await _host.PollStatusAsync(completed.GetProperty("statusQueryGetUri").GetString()!, "Completed");
        await _host.PollStatusAsync(failed.GetProperty("statusQueryGetUri").GetString()!, "Failed");
        await _host.PollStatusAsync(running.GetProperty("statusQueryGetUri").GetString()!, "Running");

        var onlyRunning = await _host.GetAsync($"instances?instanceIdPrefix={prefix}&runtimeStatus=Running");
        var finished = await _host.GetAsync($"instances?instanceIdPrefix={prefix}&runtimeStatus=completed,Failed");
        var all = await _host.GetAsync($"instances?instanceIdPrefix={prefix}");

        Assert.Equal([prefix + "running"], Ids(onlyRunning));
        Assert.Equal([prefix + "completed", prefix + "failed"], Ids(finished).Order());
        Assert.Equal(3, Ids(all).Count);
        Assert.Null(all.Header(Continuation));
        await _host.Client.TerminateAsync(prefix + "running");
    }

    [Fact]
    public async Task List_ShowInput_ControlsInputAndStatusBodiesMatchSingleGet()
    {
        var prefix = $"inp{Guid.NewGuid():N}-";
        var payload = await _host.StartAsync("Echo", """{"lr":0.01}""", prefix + "a");
        var single = await _host.PollStatusAsync(payload.GetProperty("statusQueryGetUri").GetString()!, "Completed");

        var without = (await _host.GetAsync($"instances?instanceIdPrefix={prefix}")).Json[0];
        var with = (await _host.GetAsync($"instances?instanceIdPrefix={prefix}&showInput=true")).Json[0];

        Assert.Equal(JsonValueKind.Null, without.GetProperty("input").ValueKind);
        Assert.Equal(0.01, with.GetProperty("input").GetProperty("lr").GetDouble());
        Assert.Equal(single.Json.GetRawText(), with.GetRawText());
    }

    [Fact]
    public async Task List_CreatedTimeRange_FiltersByCreation()
    {
        var prefix = $"time{Guid.NewGuid():N}-";
        var payload = await _host.StartAsync("Echo", "1", prefix + "a");
        await _host.PollStatusAsync(payload.GetProperty("statusQueryGetUri").GetString()!, "Completed");

        var inRange = await _host.GetAsync($"instances?instanceIdPrefix={prefix}&createdTimeFrom={DateTime.UtcNow.AddHours(-1):yyyy-MM-ddTHH:mm:ssZ}&createdTimeTo={DateTime.UtcNow.AddHours(1):yyyy-MM-ddTHH:mm:ssZ}");
        var before = await _host.GetAsync($"instances?instanceIdPrefix={prefix}&createdTimeTo=2020-01-01");
        var after = await _host.GetAsync($"instances?instanceIdPrefix={prefix}&createdTimeFrom={DateTime.UtcNow.AddHours(1):yyyy-MM-ddTHH:mm:ss}%2B00:00");

        Assert.Single(Ids(inRange));
        Assert.Empty(Ids(before));
        Assert.Empty(Ids(after));
    }

    [Theory]
    [InlineData("top=0", "top", "'0'")]
    [InlineData("top=1001", "top", "'1001'")]
    [InlineData("top=ten", "top", "'ten'")]
    [InlineData("runtimeStatus=Running,Runing", "runtimeStatus", "'Runing'")]
    [InlineData("runtimeStatus=1", "runtimeStatus", "'1'")]
    [InlineData("createdTimeFrom=yesterday", "createdTimeFrom", "'yesterday'")]
    [InlineData("createdTimeTo=2026-13-40", "createdTimeTo", "'2026-13-40'")]
    [InlineData("createdTimeFrom=2026-02-01&createdTimeTo=2026-01-01", "createdTimeTo", "before createdTimeFrom")]
    [InlineData("showInput=perhaps", "showInput", "'perhaps'")]
    public async Task List_BadQueryParameter_Returns400NamingIt(string query, string parameter, string detail)
    {
        var response = await _host.GetAsync("instances?" + query);

        var message = response.AssertError(HttpStatusCode.BadRequest, "InvalidParameter");
        Assert.Contains($"'{parameter}'", message, StringComparison.Ordinal);
        Assert.Contains(detail, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_ForgedContinuationToken_Returns400NamingHeader()
    {
        var response = await _host.SendAsync(HttpMethod.Get, "instances?top=1", headers: [KeyValuePair.Create(Continuation, "1!abc 2!def")]);

        var message = response.AssertError(HttpStatusCode.BadRequest, "InvalidParameter");
        Assert.Contains(Continuation, message, StringComparison.Ordinal);
    }

    private static List<string> Ids(ApiResponse response)
    {
        Assert.Equal(HttpStatusCode.OK, response.Status);
        return response.Json.EnumerateArray().Select(s => s.GetProperty("instanceId").GetString()!).ToList();
    }
}
