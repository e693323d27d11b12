using System.Text;
using System.Text.Json.Nodes;
using Serverless.Compute.AzureBatch.Models;
using Serverless.Compute.AzureBatch.Tests.Fakes;

namespace Serverless.Compute.AzureBatch.Tests;

public sealed class BatchClientFileTests : IAsyncLifetime
{
    private FakeBatchService _service = null!;
    private BatchClient _client = null!;

    public async Task InitializeAsync()
    {
        _service = await FakeBatchService.StartAsync();
        _client = _service.CreateClient();
        await _client.EnsureJobAsync(new BatchJobSpec { Id = "run-7", PoolInfo = new("gpu-pool") });
        await _client.EnsureTaskAsync("run-7", new BatchTaskSpec { Id = "train-a1", CommandLine = BashCommand.Wrap("python train.py") });
        _service.Script("run-7", "train-a1", new TaskPhase("running"));
    }

    public async Task DisposeAsync() => await _service.DisposeAsync();

    [Fact]
    public async Task ReadTaskFile_WhileRunning_TailsOnlyNewBytes()
    {
        var stdout = _service.Files.GetOrAdd("run-7/train-a1/stdout.txt", _ => new StringBuilder());
        stdout.Append("epoch 1 loss=0.9\n");

        var first = await _client.ReadTaskFileAsync("run-7", "train-a1", "stdout.txt");
        var nothingNew = await _client.ReadTaskFileAsync("run-7", "train-a1", "stdout.txt", first.NextOffset);
        stdout.Append("epoch 2 loss=0.5\n");
        var second = await _client.ReadTaskFileAsync("run-7", "train-a1", "stdout.txt", nothingNew.NextOffset);

        Assert.Equal("epoch 1 loss=0.9\n", Encoding.UTF8.GetString(first.Content.Span));
        Assert.True(nothingNew.Content.IsEmpty);
        Assert.Equal("epoch 2 loss=0.5\n", Encoding.UTF8.GetString(second.Content.Span));
        var ranged = _service.RequestsTo("GET", "/jobs/run-7/tasks/train-a1/files/stdout.txt");
        Assert.Null(ranged[0].Header("ocp-range"));
        Assert.Equal($"bytes={first.NextOffset}-", ranged[2].Header("ocp-range"));
        Assert.Empty(_service.Violations);
    }

    [Fact]
    public async Task ReadTaskFile_WithMaxBytes_SendsClosedRange()
    {
        _service.Files["run-7/train-a1/stderr.txt"] = new StringBuilder("0123456789");

        var chunk = await _client.ReadTaskFileAsync("run-7", "train-a1", "stderr.txt", offset: 2, maxBytes: 4);

        Assert.Equal("2345", Encoding.UTF8.GetString(chunk.Content.Span));
        Assert.Equal(6, chunk.NextOffset);
        Assert.Equal("bytes=2-5", _service.RequestsTo("GET", "/jobs/run-7/tasks/train-a1/files/stderr.txt")[0].Header("ocp-range"));
    }

    [Fact]
    public async Task ReadTaskFile_Missing_ThrowsFileNotFound()
    {
        var ex = await Assert.ThrowsAsync<BatchException>(() => _client.ReadTaskFileAsync("run-7", "train-a1", "wd/none.txt"));

        Assert.Equal((404, "FileNotFound"), (ex.Status, ex.ErrorCode));
    }

    [Fact]
    public async Task ListTaskFiles_ManyPages_FollowsNextLink()
    {
        foreach (var name in new[] { "stdout.txt", "stderr.txt", "wd/outputs/model.pt", "wd/outputs/metrics.json", "fileuploaderr.txt" })
        {
            _service.Files[$"run-7/train-a1/{name}"] = new StringBuilder("x");
        }

        var files = await _client.ListTaskFilesAsync("run-7", "train-a1");

        Assert.Equal(5, files.Count);
        Assert.Contains(files, f => f.Name == "wd/outputs/model.pt" && f.Properties!.ContentLength == 1);
        var lists = _service.RequestsTo("GET", "/jobs/run-7/tasks/train-a1/files");
        Assert.Equal(3, lists.Length);
        Assert.All(lists, l => Assert.Equal("true", l.Query["recursive"]));
        Assert.Empty(_service.Violations);
    }

    [Fact]
    public async Task ListPools_ReturnsNodeCountsAndResizeErrors()
    {
        _service.Pools.Add(JsonNode.Parse("""
            {"id":"gpu-pool","state":"active","allocationState":"steady","vmSize":"standard_nc4as_t4_v3",
             "currentDedicatedNodes":0,"currentLowPriorityNodes":0,"targetDedicatedNodes":1,"targetLowPriorityNodes":0,
             "enableAutoScale":true,"autoScaleFormula":"$TargetDedicatedNodes=0;","taskSlotsPerNode":1,
             "resizeErrors":[{"code":"AccountVMSeriesCoreQuotaReached","message":"quota"}]}
            """)!.AsObject());

        var pools = await _client.ListPoolsAsync();

        var pool = Assert.Single(pools);
        Assert.Equal("gpu-pool", pool.Id);
        Assert.True(pool.EnableAutoScale);
        Assert.Equal(1, pool.TargetDedicatedNodes);
        Assert.Equal("AccountVMSeriesCoreQuotaReached", Assert.Single(pool.ResizeErrors!).Code);
    }
}
