using Serverless.Compute.AzureBatch.Steps;
using Serverless.Compute.AzureBatch.Tests.Fakes;
using Serverless.Pipelines.Attempts;
using Serverless.Pipelines.Definition;
using Serverless.Pipelines.Orchestration;
using Serverless.Pipelines.Planning;
using Serverless.Testing;

namespace Serverless.Compute.AzureBatch.Tests;

/// <summary>
/// A pipeline whose training step is <c>compute: batch</c>, run by the durable run orchestration on a real engine:
/// the local prepare step's output becomes the Batch task's input, the task's uploaded model and reported accuracy
/// feed the local evaluate step. Batch itself is the loopback fake.
/// </summary>
public sealed class BatchPipelineEndToEndTests(BatchPipelineHarness h) : IClassFixture<BatchPipelineHarness>
{
    private const string Yaml = """
        name: batch-e2e
        steps:
          prepare:
            cache: false
            command: mkdir -p ${{ outputs.dataset }} && echo "x,y" > ${{ outputs.dataset }}/train.csv
            outputs:
              dataset: artifact
          train:
            cache: false
            command: python /app/train.py --data ${{ inputs.dataset }} --out ${{ outputs.model }}
            inputs:
              dataset: ${{ steps.prepare.outputs.dataset }}
            outputs:
              model: artifact
              accuracy: number
            timeout: 1h
            retries:
              max_attempts: 2
              backoff: { initial: 1s }
            compute:
              target: batch
              resources:
                gpu: 1
                image: myacr.azurecr.io/trainer:1.0
          evaluate:
            cache: false
            command: test "$(cat ${{ inputs.model }})" = "trained-weights" && echo "${{ steps.train.outputs.accuracy }}" > ${{ outputs.score }}
            inputs:
              model: ${{ steps.train.outputs.model }}
            outputs:
              score: number
            when: steps.train.outputs.accuracy > 0.5
        """;

    [Fact]
    public async Task Run_BatchTrainingStep_SubmitPollCompleteAndDownstreamUsesItsOutputs()
    {
        var runId = TestNames.Unique("run");
        var job = BatchIds.ForJob(runId, "gpu-pool");
        h.Service.Script(job, "train-a1", new TaskPhase("active"), new TaskPhase("running"), new TaskPhase("completed", "success", 0));
        h.Node.Write(job, "train-a1", "outputs/model", "trained-weights");
        h.Node.Write(job, "train-a1", "outputs/accuracy", "0.91");
        h.Node.Write(job, "train-a1", "../stdout.txt", "epoch 1 loss 0.3\n");

        await h.StartAsync(Yaml, runId);
        var (output, progress) = await h.WaitAsync(runId);

        Assert.Equal(RunOutcome.Succeeded, output.Outcome);
        Assert.Equal(["Succeeded", "Succeeded", "Succeeded"], progress.Steps.Select(s => s.Status));
        Assert.Equal("batch", progress.Steps.Single(s => s.Key == "train").Compute);
        Assert.Equal(PipelineValue.FromNumber(0.91), output.Results["train"].Values["accuracy"]);
        // evaluate read the model the Batch task uploaded and the accuracy it reported.
        Assert.Equal(PipelineValue.FromNumber(0.91), output.Results["evaluate"].Values["score"]);
        // The task's input is the local step's output folder, read by the pool identity.
        var input = h.Service.TaskBody(job, "train-a1")!["resourceFiles"]!.AsArray().Single()!;
        Assert.Equal(output.Results["prepare"].Artifacts["dataset"].Uri.Split('/', 2)[1] + "/", (string?)input["blobPrefix"]);
        Assert.True(h.Service.RequestsTo("GET", $"/jobs/{job}/tasks/train-a1").Length >= 3);
        Assert.Empty(h.Service.Violations);
        // The run's end closed its Batch job.
        AssertJobEnded(job);
        // The logs endpoint serves the finished Batch step's log (the uploaded copy) through the Batch log source.
        var logs = await h.Api.GetAsync($"/api/runs/{runId}/steps/train/logs");
        Assert.Equal(System.Net.HttpStatusCode.OK, logs.StatusCode);
        Assert.Equal("epoch 1 loss 0.3\n", await logs.Content.ReadAsStringAsync());
        Assert.Equal("17", logs.Headers.GetValues("X-Log-Offset").Single());
    }

    [Fact]
    public async Task Run_BatchAttemptFails_RunRetriesWithANewTaskAndSucceeds()
    {
        var runId = TestNames.Unique("run");
        var job = BatchIds.ForJob(runId, "gpu-pool");
        h.Service.Script(job, "train-a1", new TaskPhase("completed", "failure", 137, "usererror", "FailureExitCode", "killed"));
        h.Service.Script(job, "train-a2", new TaskPhase("completed", "success", 0));
        h.Node.Write(job, "train-a2", "outputs/model", "trained-weights");
        h.Node.Write(job, "train-a2", "outputs/accuracy", "0.4");

        await h.StartAsync(Yaml, runId);
        var (output, progress) = await h.WaitAsync(runId);

        Assert.Equal(RunOutcome.Succeeded, output.Outcome);
        var train = progress.Steps.Single(s => s.Key == "train");
        Assert.Equal("Succeeded", train.Status);
        Assert.Equal(2, train.Attempt);
        Assert.Equal(1, h.Service.TasksCreated(job, "train-a1"));
        Assert.Equal(1, h.Service.TasksCreated(job, "train-a2"));
        // The second attempt's outputs come from its own blob prefix.
        Assert.EndsWith("/train/attempt-2/outputs/model", output.Results["train"].Artifacts["model"].Uri, StringComparison.Ordinal);
        // accuracy 0.4 is below the gate: evaluate is skipped, the run still succeeds.
        Assert.Equal("Skipped", progress.Steps.Single(s => s.Key == "evaluate").Status);
    }

    [Fact]
    public async Task Run_CancelledWhileBatchStepRuns_TaskTerminatedAndRunCancelled()
    {
        var runId = TestNames.Unique("run");
        var job = BatchIds.ForJob(runId, "gpu-pool");
        h.Service.Script(job, "train-a1", new TaskPhase("running"));

        await h.StartAsync(Yaml, runId);
        h.Node.Write(job, "train-a1", "../stdout.txt", "step 1\n");
        await h.WaitForAttemptStateAsync(StepAttempts.InstanceId(runId, "train", 1), "running");

        // While the task runs, its log comes live from the node's file, from any offset.
        var live = await h.Api.GetAsync($"/api/runs/{runId}/steps/train/logs");
        Assert.Equal("step 1\n", await live.Content.ReadAsStringAsync());
        h.Node.Write(job, "train-a1", "../stdout.txt", "step 2\n");
        var tail = await h.Api.GetAsync($"/api/runs/{runId}/steps/train/logs?offset=7");
        Assert.Equal("step 2\n", await tail.Content.ReadAsStringAsync());
        Assert.Equal("14", tail.Headers.GetValues("X-Log-Offset").Single());
        Assert.Contains(h.Service.Requests, r => r.Method == "GET" && r.Path.EndsWith("/tasks/train-a1/files/stdout.txt", StringComparison.Ordinal));

        await h.Client.RaiseEventAsync(runId, PipelineRunNames.CancelEvent);
        var (output, progress) = await h.WaitAsync(runId);

        Assert.Equal(RunOutcome.Cancelled, output.Outcome);
        Assert.Equal("Cancelled", progress.Steps.Single(s => s.Key == "train").Status);
        Assert.NotEqual("Succeeded", progress.Steps.Single(s => s.Key == "evaluate").Status);
        Assert.True(h.Service.WasTerminated(job, "train-a1"));
        Assert.Equal(0, h.Service.TasksCreated(job, "train-a2"));
        AssertJobEnded(job);
    }

    [Fact]
    public async Task Run_LocalStepsOnly_NoBatchJobTouchedAtTheEnd()
    {
        var runId = TestNames.Unique("run");
        await h.StartAsync("""
            name: local-only
            steps:
              hello:
                cache: false
                command: echo hi
            """, runId);
        var (output, _) = await h.WaitAsync(runId);

        Assert.Equal(RunOutcome.Succeeded, output.Outcome);
        var job = BatchIds.ForJob(runId, "gpu-pool");
        Assert.DoesNotContain(h.Service.Requests, r => r.Path.StartsWith($"/jobs/{job}", StringComparison.OrdinalIgnoreCase));
        // A local step's log is still the executor's append blob.
        var logs = await h.Api.GetAsync($"/api/runs/{runId}/steps/hello/logs");
        Assert.Equal("hi\n", await logs.Content.ReadAsStringAsync());
    }

    private void AssertJobEnded(string job)
    {
        var body = h.Service.Job(job)!;
        Assert.Equal("terminatejob", (string?)body["onAllTasksComplete"]);
        Assert.Equal("completed", (string?)body["state"]);
        Assert.Equal("PipelineRunEnded", (string?)body["executionInfo"]!["terminateReason"]);
    }
}
