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
        await h.WaitForAttemptStateAsync(StepAttempts.InstanceId(runId, "train", 1), "running");
        await h.Client.RaiseEventAsync(runId, PipelineRunNames.CancelEvent);
        var (output, progress) = await h.WaitAsync(runId);

        Assert.Equal(RunOutcome.Cancelled, output.Outcome);
        Assert.Equal("Cancelled", progress.Steps.Single(s => s.Key == "train").Status);
        Assert.NotEqual("Succeeded", progress.Steps.Single(s => s.Key == "evaluate").Status);
        Assert.True(h.Service.WasTerminated(job, "train-a1"));
        Assert.Equal(0, h.Service.TasksCreated(job, "train-a2"));
    }
}
