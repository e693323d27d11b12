using System.Text.Json.Nodes;
using Serverless.Compute.AzureBatch.Models;
using Serverless.Compute.AzureBatch.Tests.Fakes;

namespace Serverless.Compute.AzureBatch.Tests;

public sealed class BatchClientJobTests : IAsyncLifetime
{
    private FakeBatchService _service = null!;

    public async Task InitializeAsync() => _service = await FakeBatchService.StartAsync();

    public async Task DisposeAsync() => await _service.DisposeAsync();

    private static BatchJobSpec Job(string id) => new()
    {
        Id = id,
        PoolInfo = new BatchPoolInformation("gpu-pool"),
        Constraints = new BatchJobConstraints { MaxWallClockTime = TimeSpan.FromDays(2), MaxTaskRetryCount = 1 },
        Priority = 0,
    };

    [Fact]
    public async Task EnsureJob_NewJob_PostsDocumentedBodyAndReturnsCreated()
    {
        var client = _service.CreateClient();

        var created = await client.EnsureJobAsync(Job("train-20261121-001"));

        Assert.True(created);
        var post = Assert.Single(_service.RequestsTo("POST", "/jobs"));
        var body = JsonNode.Parse(post.Body)!;
        Assert.Equal("train-20261121-001", body["id"]!.GetValue<string>());
        Assert.Equal("gpu-pool", body["poolInfo"]!["poolId"]!.GetValue<string>());
        Assert.Equal("noaction", body["onAllTasksComplete"]!.GetValue<string>());
        Assert.Equal("P2D", body["constraints"]!["maxWallClockTime"]!.GetValue<string>());
        Assert.Equal(1, body["constraints"]!["maxTaskRetryCount"]!.GetValue<int>());
        Assert.Empty(_service.Violations);
        Assert.All(_service.Credential.RequestedScopes, s => Assert.Equal(["https://batch.core.windows.net//.default"], s));
    }

    [Fact]
    public async Task EnsureJob_AlreadyExists_409JobExistsIsSuccess()
    {
        var client = _service.CreateClient();
        await client.EnsureJobAsync(Job("run-a"));

        var created = await client.EnsureJobAsync(Job("run-a"));

        Assert.False(created);
        Assert.Equal(2, _service.RequestsTo("POST", "/jobs").Length);
        Assert.Empty(_service.Violations);
    }

    [Fact]
    public async Task SetOnAllTasksComplete_AfterTasksAdded_JobTerminatesWhenDone()
    {
        var client = _service.CreateClient();
        await client.EnsureJobAsync(Job("run-b"));

        await client.SetJobOnAllTasksCompleteAsync("run-b", BatchOnAllTasksComplete.TerminateJob);

        var patch = Assert.Single(_service.RequestsTo("PATCH", "/jobs/run-b"));
        Assert.Equal("terminatejob", JsonNode.Parse(patch.Body)!["onAllTasksComplete"]!.GetValue<string>());
        var job = await client.GetJobAsync("run-b");
        Assert.Equal("terminatejob", job.OnAllTasksComplete);
        Assert.Equal("gpu-pool", job.PoolInfo!.PoolId);
        Assert.Equal(TimeSpan.FromDays(2), job.Constraints!.MaxWallClockTime);
        Assert.Empty(_service.Violations);
    }

    [Fact]
    public async Task TerminateJob_ActiveJob_CompletesWithReason()
    {
        var client = _service.CreateClient();
        await client.EnsureJobAsync(Job("run-c"));

        await client.TerminateJobAsync("run-c", "RunCancelled");

        var job = await client.GetJobAsync("run-c");
        Assert.Equal("completed", job.State);
        Assert.Equal("RunCancelled", job.ExecutionInfo!.TerminateReason);
        Assert.Empty(_service.Violations);
    }

    [Fact]
    public async Task TerminateJob_AlreadyCompleted_IsNoOp()
    {
        var client = _service.CreateClient();
        await client.EnsureJobAsync(Job("run-d"));
        await client.TerminateJobAsync("run-d");

        await client.TerminateJobAsync("run-d");

        Assert.Equal(2, _service.RequestsTo("POST", "/jobs/run-d/terminate").Length);
        Assert.Equal("UserTerminate", (await client.GetJobAsync("run-d")).ExecutionInfo!.TerminateReason);
    }

    [Fact]
    public async Task GetJob_Missing_ThrowsJobNotFoundWithoutRetry()
    {
        var client = _service.CreateClient();

        var ex = await Assert.ThrowsAsync<BatchException>(() => client.GetJobAsync("nope"));

        Assert.Equal(404, ex.Status);
        Assert.Equal(BatchErrorCodes.JobNotFound, ex.ErrorCode);
        Assert.StartsWith("The specified job does not exist.", ex.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal("JobNotFound", ex.Details["Reason"]);
        Assert.NotNull(ex.RequestId);
        Assert.Contains("GET /jobs/nope", ex.Message, StringComparison.Ordinal);
        Assert.Single(_service.RequestsTo("GET", "/jobs/nope"));
    }
}
