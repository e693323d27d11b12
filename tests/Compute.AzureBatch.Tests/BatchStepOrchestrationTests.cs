using System.Text;
using System.Text.Json.Nodes;
using Serverless.Compute.AzureBatch.Steps;
using Serverless.Compute.AzureBatch.Tests.Fakes;
using Serverless.Pipelines.Attempts;
using Serverless.Pipelines.Definition;
using Serverless.Pipelines.Packaging;
using Serverless.Pipelines.Planning;
using Serverless.Testing;

namespace Serverless.Compute.AzureBatch.Tests;

/// <summary>
/// The <c>Pipelines.Step.Batch</c> monitor orchestration on a real engine (Azurite) against the loopback fake
/// Batch service: submit, durable-timer polling, outcome mapping, output collection, cancellation, timeouts and
/// the idempotent submit.
/// </summary>
public sealed class BatchStepOrchestrationTests(BatchStepFixture fixture) : IClassFixture<BatchStepFixture>
{
    private const string TaskId = "train-a1";

    private static TaskPhase Running => new("running");

    private static TaskPhase Success => new("completed", "success", 0);

    [Fact]
    public async Task Run_TaskCompletes_OutputsValuesDigestsAndLogsCollected()
    {
        var runId = TestNames.Unique("run");
        var job = BatchStepFixture.JobId(runId);
        fixture.Service.Script(job, TaskId, new TaskPhase("active"), new TaskPhase("preparing"), Running, Success);
        fixture.Node.Write(job, TaskId, "outputs/model/weights.bin", "w-e-i-g-h-t-s");
        fixture.Node.Write(job, TaskId, "outputs/model/conf/config.json", "{\"layers\": 18}");
        fixture.Node.Write(job, TaskId, "outputs/accuracy", "0.93\n");
        fixture.Node.Write(job, TaskId, "outputs/values.json", "{\"epochs\": 3}");
        fixture.Node.Write(job, TaskId, "../stdout.txt", "epoch 1\nepoch 2\n");
        fixture.Node.Write(job, TaskId, "../stderr.txt", "warning: slow\n");
        var attempt = fixture.Attempt(runId, outputs:
        [
            new StepAttemptOutput("model", OutputKind.Artifact),
            new StepAttemptOutput("accuracy", OutputKind.Value, PipelineType.Number),
            new StepAttemptOutput("epochs", OutputKind.Value, PipelineType.Int),
        ]);

        var result = await fixture.RunAsync(attempt);

        Assert.True(result.Succeeded, result.FailureReason);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(new StepKey("train"), result.Key);
        Assert.Equal(PipelineValue.FromNumber(0.93), result.Values["accuracy"]);
        Assert.Equal(PipelineValue.FromInt(3), result.Values["epochs"]);
        var model = result.Artifacts["model"];
        Assert.True(model.IsDirectory);
        Assert.Equal($"blob:{fixture.Options.ArtifactContainer}/{runId}/train/attempt-1/outputs/model", model.Uri);
        // The same digest the local executor computes over a folder: path, size and content of every file.
        Assert.Equal(
            PackageScanner.Digest([File("conf/config.json", "{\"layers\": 18}"), File("weights.bin", "w-e-i-g-h-t-s")]),
            model.Digest);
        Assert.Equal([$"{runId}/train/attempt-1/logs/stdout.txt", $"{runId}/train/attempt-1/logs/stderr.txt"], result.LogBlobs);
        var container = fixture.Storage.Blobs.GetBlobContainerClient(fixture.Options.ArtifactContainer);
        Assert.Equal("epoch 1\nepoch 2\n", (await container.GetBlobClient(result.LogBlobs[0]).DownloadContentAsync()).Value.Content.ToString());
        Assert.Empty(fixture.Service.Violations);
        // Polled through every state with durable timers in between, never in a tight loop.
        var polls = fixture.Service.RequestsTo("GET", $"/jobs/{job}/tasks/{TaskId}");
        Assert.Equal(4, polls.Length);
        Assert.All(polls.Zip(polls.Skip(1)), p => Assert.True(p.Second.ReceivedAt - p.First.ReceivedAt >= TimeSpan.FromSeconds(0.9)));
    }

    [Fact]
    public async Task Run_Submit_TaskBodyCarriesImageInputsEnvironmentAndTimeout()
    {
        var runId = TestNames.Unique("run");
        var job = BatchStepFixture.JobId(runId);
        fixture.Service.Script(job, TaskId, Success);

        await fixture.RunAsync(fixture.Attempt(runId, outputs: [], timeout: TimeSpan.FromMinutes(90)));

        var jobBody = fixture.Service.Job(job)!;
        Assert.Equal("gpu-pool", (string?)jobBody["poolInfo"]!["poolId"]);
        Assert.Equal("noaction", (string?)jobBody["onAllTasksComplete"]);
        var body = fixture.Service.TaskBody(job, TaskId)!;
        Assert.Equal("myacr.azurecr.io/trainer:1.0", (string?)body["containerSettings"]!["imageName"]);
        Assert.Equal("myacr.azurecr.io", (string?)body["containerSettings"]!["registry"]!["registryServer"]);
        Assert.Equal("PT1H30M", (string?)body["constraints"]!["maxWallClockTime"]);
        var input = body["resourceFiles"]!.AsArray().Single()!;
        Assert.Equal($"https://stdev.blob.core.windows.net/{fixture.Options.ArtifactContainer}", (string?)input["storageContainerUrl"]);
        Assert.Equal($"{runId}/prepare/attempt-1/outputs/dataset/", (string?)input["blobPrefix"]);
        Assert.Equal(BatchStepFixture.Identity, (string?)input["identityReference"]!["resourceId"]);
        var env = body["environmentSettings"]!.AsArray().ToDictionary(e => (string)e!["name"]!, e => (string)e!["value"]!);
        Assert.Equal("https://func.example/api/mlflow", env["MLFLOW_TRACKING_URI"]);
        Assert.Equal("mlrun1", env["MLFLOW_RUN_ID"]);
        Assert.Equal(runId, env["SERVERLESS_RUN_ID"]);
        Assert.Equal("1", env["SERVERLESS_ATTEMPT"]);
        Assert.Equal("0.001", env["SERVERLESS_INPUT_LR"]);
        Assert.Equal("3", env["EPOCHS"]);
        Assert.Contains("/bin/bash -c", (string?)body["commandLine"], StringComparison.Ordinal);
        Assert.Empty(fixture.Service.Violations);
    }

    [Fact]
    public async Task Run_UserError_FailedWithExitCodeAndLogsButNoOutputs()
    {
        var runId = TestNames.Unique("run");
        var job = BatchStepFixture.JobId(runId);
        fixture.Service.Script(job, TaskId, Running, new TaskPhase("completed", "failure", 3, "usererror", "FailureExitCode", "The task exited with an exit code representing a failure"));
        fixture.Node.Write(job, TaskId, "outputs/model", "half-written");
        fixture.Node.Write(job, TaskId, "../stderr.txt", "CUDA out of memory\n");

        var result = await fixture.RunAsync(fixture.Attempt(runId));

        Assert.False(result.Succeeded);
        Assert.Equal(FailureKind.Failed, result.FailureKind);
        Assert.Equal(3, result.ExitCode);
        Assert.Contains("exited with code 3", result.FailureReason, StringComparison.Ordinal);
        // Logs are uploaded on any completion, outputs only on success.
        Assert.Contains($"{runId}/train/attempt-1/logs/stderr.txt", fixture.Node.Uploaded);
        Assert.DoesNotContain($"{runId}/train/attempt-1/outputs/model", fixture.Node.Uploaded);
    }

    [Fact]
    public async Task Run_ServerError_InfrastructureFailure()
    {
        var runId = TestNames.Unique("run");
        var job = BatchStepFixture.JobId(runId);
        fixture.Service.Script(job, TaskId, new TaskPhase("completed", "failure", null, "servererror", "ContainerPoolNotAvailable", "The node could not pull the image"));

        var result = await fixture.RunAsync(fixture.Attempt(runId));

        Assert.Equal(FailureKind.Infrastructure, result.FailureKind);
        Assert.Contains("ContainerPoolNotAvailable", result.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_PreemptedThenSucceeds_NotAFailureAndRequeueReported()
    {
        var runId = TestNames.Unique("run");
        var job = BatchStepFixture.JobId(runId);
        fixture.Service.Script(job, TaskId, Running, new TaskPhase("active", RequeueCount: 1), Running, Success with { RequeueCount = 1 });
        fixture.Node.Write(job, TaskId, "outputs/model", "m");

        var (result, instance) = await fixture.CompleteAsync(await fixture.StartAsync(fixture.Attempt(runId)));

        Assert.True(result.Succeeded, result.FailureReason);
        var status = instance.ReadCustomStatusAs<BatchAttemptStatus>()!;
        Assert.Equal(1, status.Requeues);
        Assert.Equal("completed", status.State);
        Assert.Equal(1, fixture.Service.TasksCreated(job, TaskId));
    }

    [Fact]
    public async Task Run_PreemptedThenFails_ReasonSaysTheRequeueWasNotTheFailure()
    {
        var runId = TestNames.Unique("run");
        var job = BatchStepFixture.JobId(runId);
        fixture.Service.Script(job, TaskId, Running, new TaskPhase("active", RequeueCount: 1), new TaskPhase("completed", "failure", 1, "usererror", "FailureExitCode", "exit 1", RequeueCount: 1));

        var result = await fixture.RunAsync(fixture.Attempt(runId));

        Assert.Equal(FailureKind.Failed, result.FailureKind);
        Assert.Contains("requeued 1 time(s)", result.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_BatchEndsTaskAtWallClock_TimedOut()
    {
        var runId = TestNames.Unique("run");
        var job = BatchStepFixture.JobId(runId);
        fixture.Service.Script(job, TaskId, Running, new TaskPhase("completed", "failure", null, "usererror", "TaskEnded", "The task ran beyond its maxWallClockTime", RanFor: TimeSpan.FromMinutes(30)));

        var result = await fixture.RunAsync(fixture.Attempt(runId, timeout: TimeSpan.FromMinutes(30)));

        Assert.Equal(FailureKind.TimedOut, result.FailureKind);
        Assert.False(fixture.Service.WasTerminated(job, TaskId));
    }

    [Fact]
    public async Task Run_TaskOverrunsTimeoutUnnoticedByBatch_OrchestrationTerminatesItAsTimedOut()
    {
        var runId = TestNames.Unique("run");
        var job = BatchStepFixture.JobId(runId);
        fixture.Service.Script(job, TaskId, Running);

        var result = await fixture.RunAsync(fixture.Attempt(runId, timeout: TimeSpan.FromSeconds(2)));

        Assert.Equal(FailureKind.TimedOut, result.FailureKind);
        Assert.True(fixture.Service.WasTerminated(job, TaskId));
    }

    [Fact]
    public async Task Run_CancelEvent_TaskTerminatedAndCancelledResult()
    {
        var runId = TestNames.Unique("run");
        var job = BatchStepFixture.JobId(runId);
        fixture.Service.Script(job, TaskId, Running);
        var instanceId = await fixture.StartAsync(fixture.Attempt(runId));
        await fixture.WaitForStateAsync(instanceId, "running");

        await fixture.Client.RaiseEventAsync(instanceId, StepAttempts.CancelEvent);
        var (result, instance) = await fixture.CompleteAsync(instanceId);

        Assert.Equal(FailureKind.Cancelled, result.FailureKind);
        Assert.True(fixture.Service.WasTerminated(job, TaskId));
        Assert.Single(fixture.Service.RequestsTo("POST", $"/jobs/{job}/tasks/{TaskId}/terminate"));
        Assert.True(instance.ReadCustomStatusAs<BatchAttemptStatus>()!.TerminateRequested);
    }

    [Fact]
    public async Task Run_CreateAppliedButResponseLost_ResubmitAnswersTaskExistsAndRunsOnce()
    {
        var runId = TestNames.Unique("run");
        var job = BatchStepFixture.JobId(runId);
        var tasksPath = $"/jobs/{job}/tasks";
        // The first create happens but its answer is lost, and so is the client's own retry: the submit activity
        // fails after the task exists, as if the worker crashed before checkpointing. Its durable retry must
        // take 409 TaskExists as success.
        fixture.Service.AddFault(new Fault(r => r.Method == "POST" && r.Path == tasksPath, 0, ApplyThenAbort: true));
        fixture.Service.AddFault(new Fault(r => r.Method == "POST" && r.Path == tasksPath, 0, Abort: true));
        fixture.Service.Script(job, TaskId, Success);
        fixture.Node.Write(job, TaskId, "outputs/model", "m");

        var result = await fixture.RunAsync(fixture.Attempt(runId));

        Assert.True(result.Succeeded, result.FailureReason);
        Assert.Equal(3, fixture.Service.RequestsTo("POST", tasksPath).Length);
        Assert.Equal(1, fixture.Service.TasksCreated(job, TaskId));
        Assert.True(fixture.Service.RequestsTo("POST", "/jobs").Length >= 2);
    }

    [Fact]
    public async Task Run_StepDidNotWriteDeclaredOutput_FailedNamingTheOutput()
    {
        var runId = TestNames.Unique("run");
        var job = BatchStepFixture.JobId(runId);
        fixture.Service.Script(job, TaskId, Success);

        var result = await fixture.RunAsync(fixture.Attempt(runId, outputs: [new StepAttemptOutput("accuracy", OutputKind.Value, PipelineType.Number)]));

        Assert.Equal(FailureKind.Failed, result.FailureKind);
        Assert.Contains("value output 'accuracy'", result.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_NoImage_FailsWithoutSubmittingAndSaysWhatToSet()
    {
        var runId = TestNames.Unique("run");
        var attempt = fixture.Attempt(runId) with
        {
            Compute = new ComputeSpec { Target = ComputeTarget.Batch, Resources = new ResourceRequest { Gpu = 1 } },
            Environment = new EnvironmentSpec(),
        };

        var result = await fixture.RunAsync(attempt);

        Assert.Equal(FailureKind.Failed, result.FailureKind);
        Assert.Contains("compute.resources.image or environment.image", result.FailureReason, StringComparison.Ordinal);
        Assert.Null(fixture.Service.Job(BatchStepFixture.JobId(runId)));
    }

    [Fact]
    public async Task Logs_WhileRunningFromNode_AfterEndFromUploadedBlob()
    {
        var runId = TestNames.Unique("run");
        var job = BatchStepFixture.JobId(runId);
        fixture.Service.Script(job, TaskId, Running);
        fixture.Node.Write(job, TaskId, "../stdout.txt", "epoch 1\n");
        fixture.Node.Write(job, TaskId, "outputs/model", "m");
        var instanceId = await fixture.StartAsync(fixture.Attempt(runId));
        await fixture.WaitForStateAsync(instanceId, "running");

        var live = await fixture.Logs.ReadAsync(runId, "train", 1, BatchLogFile.Stdout);
        fixture.Node.Write(job, TaskId, "../stdout.txt", "epoch 2\n");
        var tail = await fixture.Logs.ReadAsync(runId, "train", 1, BatchLogFile.Stdout, live!.NextOffset);
        fixture.Service.Script(job, TaskId, Success);
        await fixture.CompleteAsync(instanceId);
        var after = await fixture.Logs.ReadAsync(runId, "train", 1, BatchLogFile.Stdout, 0);
        var unknown = await fixture.Logs.ReadAsync(runId, "train", 2, BatchLogFile.Stdout);

        Assert.Equal(BatchLogSource.Node, live.Source);
        Assert.False(live.Finished);
        Assert.Equal("epoch 1\n", Encoding.UTF8.GetString(live.Content.Span));
        Assert.Equal("epoch 2\n", Encoding.UTF8.GetString(tail!.Content.Span));
        Assert.Equal(BatchLogSource.Blob, after!.Source);
        Assert.True(after.Finished);
        Assert.Equal("epoch 1\nepoch 2\n", Encoding.UTF8.GetString(after.Content.Span));
        Assert.Null(unknown);
    }

    [Fact]
    public async Task EndRun_AfterSteps_JobSetToTerminateAndTerminated()
    {
        var runId = TestNames.Unique("run");
        var job = BatchStepFixture.JobId(runId);
        fixture.Service.Script(job, TaskId, Success);
        fixture.Node.Write(job, TaskId, "outputs/model", "m");
        await fixture.RunAsync(fixture.Attempt(runId));

        var ended = await fixture.Activities.EndRunAsync(new BatchRunEndInput(runId, ["gpu-pool", "cpu-pool"]));

        Assert.Equal(1, ended);
        var jobBody = fixture.Service.Job(job)!;
        Assert.Equal("terminatejob", (string?)jobBody["onAllTasksComplete"]);
        Assert.Equal("completed", (string?)jobBody["state"]);
        Assert.Equal("PipelineRunEnded", (string?)jobBody["executionInfo"]!["terminateReason"]);
        // The PATCH comes before the terminate, and no job was made for the unused CPU pool.
        var requests = fixture.Service.Requests.Where(r => r.Path.StartsWith($"/jobs/{job}", StringComparison.OrdinalIgnoreCase) && r.Method != "GET" && !r.Path.Contains("/tasks", StringComparison.Ordinal)).Select(r => r.Method).ToList();
        Assert.Equal(["PATCH", "POST"], requests);
        Assert.Null(fixture.Service.Job(BatchIds.ForJob(runId, "cpu-pool")));
    }

    private static PackageFile File(string path, string content)
    {
        var bytes = Encoding.UTF8.GetBytes(content);
        return new PackageFile(path, "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), bytes.Length, "output");
    }
}
