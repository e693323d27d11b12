using Azure.Core;
using Serverless.Compute.AzureBatch.Models;
using Serverless.Compute.AzureBatch.Tests.Fakes;

namespace Serverless.Compute.AzureBatch.Tests;

public sealed class BatchClientRetryTests : IAsyncLifetime
{
    private FakeBatchService _service = null!;

    public async Task InitializeAsync() => _service = await FakeBatchService.StartAsync();

    public async Task DisposeAsync() => await _service.DisposeAsync();

    private static BatchJobSpec Job(string id) => new() { Id = id, PoolInfo = new("cpu-pool") };

    private static bool IsJobCreate(RecordedRequest r) => r.Method == "POST" && r.Path == "/jobs";

    [Theory]
    [InlineData(429, "TooManyRequests")]
    [InlineData(503, "ServerBusy")]
    public async Task Throttled_WithRetryAfter_WaitsThatLongThenSucceeds(int status, string code)
    {
        _service.AddFault(new Fault(IsJobCreate, status, code, RetryAfter: "1"));
        var client = _service.CreateClient();

        var created = await client.EnsureJobAsync(Job("throttled"));

        Assert.True(created);
        var posts = _service.RequestsTo("POST", "/jobs");
        Assert.Equal(2, posts.Length);
        // The client's own backoff is 20 ms here; only Retry-After explains a one-second gap.
        Assert.True(posts[1].ReceivedAt - posts[0].ReceivedAt >= TimeSpan.FromMilliseconds(950),
            $"retried after {(posts[1].ReceivedAt - posts[0].ReceivedAt).TotalMilliseconds} ms");
        Assert.Empty(_service.Violations);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Throttled_RetryAfterLongerThanMaxDelay_ServerWaitWins(bool asHttpDate)
    {
        // Retry-After of two seconds (as a number or as an HTTP date), with the client's own delays capped at 100 ms.
        var retryAfter = asHttpDate
            ? DateTimeOffset.UtcNow.AddSeconds(2).ToString("R", System.Globalization.CultureInfo.InvariantCulture)
            : "2";
        _service.AddFault(new Fault(IsJobCreate, 503, "ServerBusy", RetryAfter: retryAfter));
        var client = _service.CreateClient(maxDelay: TimeSpan.FromMilliseconds(100));

        Assert.True(await client.EnsureJobAsync(Job("long-throttle")));

        var posts = _service.RequestsTo("POST", "/jobs");
        Assert.Equal(2, posts.Length);
        // An HTTP date has one-second resolution, so its wait can be up to a second shorter.
        var floor = TimeSpan.FromMilliseconds(asHttpDate ? 900 : 1950);
        Assert.True(posts[1].ReceivedAt - posts[0].ReceivedAt >= floor,
            $"retried after {(posts[1].ReceivedAt - posts[0].ReceivedAt).TotalMilliseconds} ms");
    }

    [Fact]
    public async Task Transient500_RetriedWithSameClientRequestIdAndFreshHeaders()
    {
        _service.AddFault(new Fault(IsJobCreate, 500, "InternalServerError"));
        var client = _service.CreateClient();

        Assert.True(await client.EnsureJobAsync(Job("flaky")));

        var posts = _service.RequestsTo("POST", "/jobs");
        Assert.Equal(2, posts.Length);
        Assert.Equal(posts[0].Header("client-request-id"), posts[1].Header("client-request-id"));
        Assert.All(posts, p => Assert.Equal("Bearer " + FixedTokenCredential.Token, p.Header("Authorization")));
        Assert.Empty(_service.Violations);
    }

    [Fact]
    public async Task RetriedCreateAfterLostResponse_409JobExistsCountsAsSuccess()
    {
        // The first create reaches the service but its response is lost (500 after the fact is the same to the client):
        // model it by creating the job, then failing the next attempt's connection, then letting the retry through.
        var client = _service.CreateClient();
        await client.EnsureJobAsync(Job("lost"));
        _service.AddFault(new Fault(IsJobCreate, 0, Abort: true));

        var created = await client.EnsureJobAsync(Job("lost"));

        Assert.False(created);
        Assert.Equal(3, _service.RequestsTo("POST", "/jobs").Length);
    }

    [Fact]
    public async Task NetworkFailure_Retried()
    {
        _service.AddFault(new Fault(r => r.Method == "GET", 0, Abort: true));
        var client = _service.CreateClient();
        await client.EnsureJobAsync(Job("net"));

        var job = await client.GetJobAsync("net");

        Assert.Equal("net", job.Id);
        Assert.Equal(2, _service.RequestsTo("GET", "/jobs/net").Length);
    }

    [Fact]
    public async Task Unauthorized401_SurfacedWithoutRetry()
    {
        _service.AddFault(new Fault(IsJobCreate, 401, "AuthenticationFailed"));
        var client = _service.CreateClient();

        var ex = await Assert.ThrowsAsync<BatchException>(() => client.EnsureJobAsync(Job("denied")));

        Assert.Equal(401, ex.Status);
        Assert.Equal("AuthenticationFailed", ex.ErrorCode);
        Assert.Single(_service.RequestsTo("POST", "/jobs"));
    }

    [Fact]
    public async Task Forbidden403AndBadRequest400_NotRetried()
    {
        _service.AddFault(new Fault(IsJobCreate, 403, "InsufficientPermissions"));
        _service.AddFault(new Fault(IsJobCreate, 400, "InvalidPropertyValue"));
        var client = _service.CreateClient();

        var forbidden = await Assert.ThrowsAsync<BatchException>(() => client.EnsureJobAsync(Job("x1")));
        var bad = await Assert.ThrowsAsync<BatchException>(() => client.EnsureJobAsync(Job("x2")));

        Assert.Equal((403, "InsufficientPermissions"), (forbidden.Status, forbidden.ErrorCode));
        Assert.Equal((400, "InvalidPropertyValue"), (bad.Status, bad.ErrorCode));
        Assert.Equal(2, _service.RequestsTo("POST", "/jobs").Length);
    }

    [Fact]
    public async Task PersistentServerBusy_GivesUpAfterMaxRetriesWithBatchCode()
    {
        for (var i = 0; i < 3; i++)
        {
            _service.AddFault(new Fault(IsJobCreate, 503, "ServerBusy"));
        }

        var client = _service.CreateClient(maxRetries: 2);

        var ex = await Assert.ThrowsAsync<BatchException>(() => client.EnsureJobAsync(Job("busy")));

        Assert.Equal((503, BatchErrorCodes.ServerBusy), (ex.Status, ex.ErrorCode));
        Assert.Equal(3, _service.RequestsTo("POST", "/jobs").Length);
    }

    [Fact]
    public async Task PlainHttpEndpoint_BearerTokenIsNeverSentInClear()
    {
        var client = new BatchClient(new Uri($"http://127.0.0.1:{_service.Url.Port}"), new FixedTokenCredential());

        await Assert.ThrowsAnyAsync<InvalidOperationException>(() => client.GetJobAsync("any"));

        Assert.Empty(_service.Requests);
    }

    [Fact]
    public void FromOptions_MissingOrInsecureAccountUrl_ClearError()
    {
        var missing = Assert.Throws<ArgumentException>(() => BatchClient.FromOptions(new BatchOptions()));
        var insecure = Assert.Throws<ArgumentException>(() => BatchClient.FromOptions(new BatchOptions { AccountUrl = new Uri("http://acct.batch.azure.com") }));

        Assert.Contains("Serverless:Batch:AccountUrl", missing.Message, StringComparison.Ordinal);
        Assert.Contains("http://acct.batch.azure.com", insecure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DefaultOptions_ExponentialRetryWithServerDelay()
    {
        var options = new BatchClientOptions();

        Assert.Equal(RetryMode.Exponential, options.Retry.Mode);
        Assert.True(options.Retry.MaxRetries >= 3);
        Assert.Contains("client-request-id", options.Diagnostics.LoggedHeaderNames);
    }
}
