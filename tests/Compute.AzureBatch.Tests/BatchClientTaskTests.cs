using System.Text.Json.Nodes;
using Serverless.Compute.AzureBatch.Models;
using Serverless.Compute.AzureBatch.Tests.Fakes;

namespace Serverless.Compute.AzureBatch.Tests;

public sealed class BatchClientTaskTests : IAsyncLifetime
{
    private const string Identity = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-dev";
    private const string JobId = "run-42";
    private FakeBatchService _service = null!;
    private BatchClient _client = null!;

    public async Task InitializeAsync()
    {
        _service = await FakeBatchService.StartAsync();
        _client = _service.CreateClient();
        await _client.EnsureJobAsync(new BatchJobSpec { Id = JobId, PoolInfo = new("gpu-pool") });
    }

    public async Task DisposeAsync() => await _service.DisposeAsync();

    private static BatchTaskSpec Step(string taskId, TimeSpan? timeout = null) => BatchStepTasks.Create(new BatchStepRequest
    {
        TaskId = taskId,
        Image = "myacr.azurecr.io/trainer:1.4.0",
        Command = "python /app/train.py --epochs 3 --note 'it''s fine'",
        ContainerRunOptions = "--rm --shm-size=8g",
        RegistryServer = "myacr.azurecr.io",
        IdentityResourceId = Identity,
        Inputs =
        [
            new BatchStepInput { Name = "data", ContainerUrl = "https://st.blob.core.windows.net/pipelines", BlobPrefix = "runs/42/prep/outputs/data/" },
            new BatchStepInput { Name = "config", BlobUrl = "https://st.blob.core.windows.net/pipelines/runs/42/config.json" },
        ],
        OutputContainerUrl = "https://st.blob.core.windows.net/pipelines",
        OutputPath = "runs/42/train/attempt-1",
        Environment = new Dictionary<string, string> { ["MLFLOW_TRACKING_URI"] = "https://func.example/mlflow", ["MLFLOW_RUN_ID"] = "abc123" },
        Timeout = timeout ?? TimeSpan.FromHours(2),
    });

    [Fact]
    public async Task EnsureTask_StepRequest_BodyFollowsWireFormat()
    {
        var created = await _client.EnsureTaskAsync(JobId, Step("train-a1"));

        Assert.True(created);
        Assert.Empty(_service.Violations);
        var body = _service.TaskBody(JobId, "train-a1")!;
        Assert.StartsWith("/bin/bash -c '", body["commandLine"]!.GetValue<string>(), StringComparison.Ordinal);
        var container = body["containerSettings"]!;
        Assert.Equal("myacr.azurecr.io/trainer:1.4.0", container["imageName"]!.GetValue<string>());
        Assert.Equal("--rm --shm-size=8g", container["containerRunOptions"]!.GetValue<string>());
        Assert.Equal(Identity, container["registry"]!["identityReference"]!["resourceId"]!.GetValue<string>());
        var resources = body["resourceFiles"]!.AsArray();
        Assert.Equal("https://st.blob.core.windows.net/pipelines", resources[0]!["storageContainerUrl"]!.GetValue<string>());
        // Batch keeps the blob prefix as folders below filePath, so a folder is staged and moved by the command.
        Assert.Equal(".staging/inputs/data", resources[0]!["filePath"]!.GetValue<string>());
        Assert.Equal("inputs/config", resources[1]!["filePath"]!.GetValue<string>());
        Assert.Equal(Identity, resources[1]!["identityReference"]!["resourceId"]!.GetValue<string>());
        var outputs = body["outputFiles"]!.AsArray();
        Assert.Equal("tasksuccess", outputs[0]!["uploadOptions"]!["uploadCondition"]!.GetValue<string>());
        Assert.Equal("runs/42/train/attempt-1/outputs", outputs[0]!["destination"]!["container"]!["path"]!.GetValue<string>());
        Assert.Equal("../std*.txt", outputs[1]!["filePattern"]!.GetValue<string>());
        Assert.Equal("taskcompletion", outputs[1]!["uploadOptions"]!["uploadCondition"]!.GetValue<string>());
        var env = body["environmentSettings"]!.AsArray().ToDictionary(e => e!["name"]!.GetValue<string>(), e => e!["value"]!.GetValue<string>());
        Assert.Equal("abc123", env["MLFLOW_RUN_ID"]);
        Assert.Equal("PT2H", body["constraints"]!["maxWallClockTime"]!.GetValue<string>());
        Assert.Equal(0, body["constraints"]!["maxTaskRetryCount"]!.GetValue<int>());
        Assert.Equal("pool", body["userIdentity"]!["autoUser"]!["scope"]!.GetValue<string>());
        Assert.Equal("admin", body["userIdentity"]!["autoUser"]!["elevationLevel"]!.GetValue<string>());
    }

    [Fact]
    public async Task EnsureTask_Twice_409TaskExistsIsSuccess()
    {
        await _client.EnsureTaskAsync(JobId, Step("train-a2"));

        var created = await _client.EnsureTaskAsync(JobId, Step("train-a2"));

        Assert.False(created);
        Assert.Equal(2, _service.RequestsTo("POST", $"/jobs/{JobId}/tasks").Length);
    }

    [Fact]
    public async Task EnsureTask_NoSuchJob_ThrowsJobNotFound()
    {
        var ex = await Assert.ThrowsAsync<BatchException>(() => _client.EnsureTaskAsync("missing-job", Step("t1-a1")));

        Assert.Equal(404, ex.Status);
        Assert.Equal(BatchErrorCodes.JobNotFound, ex.ErrorCode);
    }

    [Fact]
    public async Task Poll_TaskMovesThroughEveryState_MapsPendingRunningSucceeded()
    {
        await _client.EnsureTaskAsync(JobId, Step("train-a3"));
        _service.Script(JobId, "train-a3",
            new TaskPhase("active"), new TaskPhase("preparing"), new TaskPhase("running"), new TaskPhase("completed", "success", 0));

        var seen = await PollToEndAsync("train-a3");

        Assert.Equal([BatchStepStatus.Pending, BatchStepStatus.Running, BatchStepStatus.Running, BatchStepStatus.Succeeded], seen.Select(o => o.Status));
        Assert.Equal(0, seen[^1].ExitCode);
        Assert.Equal(BatchFailureKind.None, seen[^1].Failure);
        Assert.Empty(_service.Violations);
    }

    [Fact]
    public async Task Poll_UserErrorExit_MapsFailedUserErrorWithExitCode()
    {
        await _client.EnsureTaskAsync(JobId, Step("train-a4"));
        _service.Script(JobId, "train-a4",
            new TaskPhase("running"),
            new TaskPhase("completed", "failure", 3, "usererror", "FailureExitCode", "The task exited with an exit code representing a failure"));

        var last = (await PollToEndAsync("train-a4"))[^1];

        Assert.Equal(BatchStepStatus.Failed, last.Status);
        Assert.Equal(BatchFailureKind.UserError, last.Failure);
        Assert.Equal(3, last.ExitCode);
        Assert.Equal("FailureExitCode", last.Code);
    }

    [Fact]
    public async Task Poll_SpotPreemptionRequeue_IsNotAFailure()
    {
        await _client.EnsureTaskAsync(JobId, Step("train-a5"));
        _service.Script(JobId, "train-a5",
            new TaskPhase("running"),
            new TaskPhase("active", RequeueCount: 1),
            new TaskPhase("running", RequeueCount: 1),
            new TaskPhase("completed", "success", 0, RequeueCount: 1));

        var seen = await PollToEndAsync("train-a5");

        Assert.Equal([BatchStepStatus.Running, BatchStepStatus.Pending, BatchStepStatus.Running, BatchStepStatus.Succeeded], seen.Select(o => o.Status));
        Assert.True(seen[1].WasRequeued);
        Assert.All(seen, o => Assert.Equal(BatchFailureKind.None, o.Failure));
    }

    [Fact]
    public async Task Poll_WallClockExceeded_MapsTimedOut()
    {
        await _client.EnsureTaskAsync(JobId, Step("train-a6", TimeSpan.FromMinutes(30)));
        _service.Script(JobId, "train-a6",
            new TaskPhase("running"),
            new TaskPhase("completed", "failure", -1, "servererror", "TaskEnded", "Task Was Ended by User Request", RanFor: TimeSpan.FromMinutes(30)));

        var last = (await PollToEndAsync("train-a6"))[^1];

        Assert.Equal(BatchStepStatus.Failed, last.Status);
        Assert.Equal(BatchFailureKind.TimedOut, last.Failure);
        Assert.Equal(BatchErrorCodes.TaskEnded, last.Code);
    }

    [Fact]
    public async Task TerminateTask_Running_TaskEndsAsTerminatedAndSecondTerminateIsNoOp()
    {
        await _client.EnsureTaskAsync(JobId, Step("train-a7"));
        _service.Script(JobId, "train-a7", new TaskPhase("running"));
        Assert.Equal(BatchStepStatus.Running, BatchTaskOutcomes.FromTask(await _client.GetTaskAsync(JobId, "train-a7")).Status);

        await _client.TerminateTaskAsync(JobId, "train-a7");
        await _client.TerminateTaskAsync(JobId, "train-a7");

        var outcome = BatchTaskOutcomes.FromTask(await _client.GetTaskAsync(JobId, "train-a7"));
        Assert.Equal(BatchStepStatus.Failed, outcome.Status);
        Assert.Equal(BatchFailureKind.Terminated, outcome.Failure);
        Assert.Equal(2, _service.RequestsTo("POST", $"/jobs/{JobId}/tasks/train-a7/terminate").Length);
        Assert.Empty(_service.Violations);
    }

    [Fact]
    public async Task GetTask_Missing_ThrowsTaskNotFound()
    {
        var ex = await Assert.ThrowsAsync<BatchException>(() => _client.GetTaskAsync(JobId, "ghost"));

        Assert.Equal(BatchErrorCodes.TaskNotFound, ex.ErrorCode);
    }

    private async Task<List<BatchStepOutcome>> PollToEndAsync(string taskId)
    {
        var seen = new List<BatchStepOutcome>();
        for (var i = 0; i < 20; i++)
        {
            var outcome = BatchTaskOutcomes.FromTask(await _client.GetTaskAsync(JobId, taskId));
            seen.Add(outcome);
            if (outcome.IsTerminal)
            {
                return seen;
            }
        }

        throw new InvalidOperationException($"Task {taskId} never completed: {string.Join(", ", seen)}");
    }
}
