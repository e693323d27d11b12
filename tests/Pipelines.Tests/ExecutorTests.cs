using System.Security.Cryptography;
using System.Text;
using Azure.Storage.Blobs;
using Serverless.Pipelines.Definition;
using Serverless.Pipelines.Execution;
using Serverless.Pipelines.Parsing;
using Serverless.Pipelines.Planning;
using Serverless.Storage;
using Serverless.Testing;

namespace Serverless.Pipelines.Tests;

public sealed class ExecutorTests : IDisposable
{
    private readonly string _package = Directory.CreateTempSubdirectory("exec-pkg-").FullName;
    private readonly string _scratch = Directory.CreateTempSubdirectory("exec-scratch-").FullName;
    private readonly string _container = TestNames.Unique("exec");

    public void Dispose()
    {
        Directory.Delete(_package, recursive: true);
        Directory.Delete(_scratch, recursive: true);
    }

    private async Task<(LocalStepExecutor Executor, BlobContainerClient Container)> CreateAsync()
    {
        var storage = new StorageClients(new StorageOptions { ConnectionString = await Azurite.EnsureRunningAsync() });
        var executor = new LocalStepExecutor(storage, new LocalExecutorOptions
        {
            ArtifactContainer = _container,
            WorkRoot = Path.Combine(_scratch, "work"),
            KillGracePeriod = TimeSpan.FromMilliseconds(500),
        });
        return (executor, storage.Blobs.GetBlobContainerClient(_container));
    }

    /// <summary>Plans the single step of a one-step pipeline (optionally after a producer step's recorded result).</summary>
    private static ReadyStep Ready(string yaml, RunState? state = null)
    {
        var definition = PipelineParser.Parse(yaml, "exec.yaml").GetDefinitionOrThrow();
        var plan = new PipelinePlanner(definition, ParameterResolver.Resolve(definition)).Plan(state ?? RunState.Empty);
        return Assert.Single(plan.Ready);
    }

    private StepExecutionRequest Request(ReadyStep step, TrackingContext? tracking = null) => new()
    {
        RunId = "run-" + Guid.NewGuid().ToString("N")[..8],
        Step = step,
        PackageDirectory = _package,
        Tracking = tracking,
    };

    private static string Sha(string text) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    [Fact]
    public async Task Run_StepWithInputsAndOutputs_DownloadsInputsUploadsOutputsAndReadsValues()
    {
        var (executor, container) = await CreateAsync();
        await container.CreateIfNotExistsAsync();
        await container.GetBlobClient("upstream/model.txt").UploadAsync(BinaryData.FromString("weights-v1"));
        Directory.CreateDirectory(Path.Combine(_package, "data"));
        await File.WriteAllTextAsync(Path.Combine(_package, "data", "rows.csv"), "x\n1\n2\n3\n");
        var state = RunState.Empty.WithResult(new("train"), StepResult.Succeeded(
            new Dictionary<string, ArtifactRef> { ["model"] = new($"blob:{_container}/upstream/model.txt", Sha("weights-v1")) }));
        var step = Ready("""
            name: io
            steps:
              train: { command: train, outputs: { model: artifact } }
              score:
                command: |
                  set -e
                  wc -l < "${{ inputs.rows }}" | tr -d ' ' > "$SERVERLESS_OUTPUTS/count"
                  mkdir -p "${{ outputs.report }}/plots"
                  cat "$SERVERLESS_INPUT_MODEL" > "${{ outputs.report }}/model-copy.txt"
                  echo png > "${{ outputs.report }}/plots/roc.png"
                  echo "scored with threshold $SERVERLESS_INPUT_THRESHOLD" > "$SERVERLESS_OUTPUT_SUMMARY"
                  printf '{"auc": 0.875, "passed": true, "tags": ["a","b"]}' > "$SERVERLESS_OUTPUTS/values.json"
                  echo "run=$MLFLOW_RUN_ID exp=$MLFLOW_EXPERIMENT_ID uri=$MLFLOW_TRACKING_URI"
                inputs:
                  model: ${{ steps.train.outputs.model }}
                  rows: { uri: data/rows.csv }
                  threshold: { value: 0.7, type: number }
                outputs:
                  report: artifact
                  summary: artifact
                  count: int
                  auc: number
                  passed: bool
                  tags: list
            """, state);

        var result = await executor.RunToCompletionAsync(Request(step, new TrackingContext("http://127.0.0.1:5000", "run123", "7")));

        Assert.True(result.Succeeded, result.FailureReason);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(PipelineValue.FromInt(4), result.Values["count"]);
        Assert.Equal(PipelineValue.FromNumber(0.875), result.Values["auc"]);
        Assert.Equal(PipelineValue.True, result.Values["passed"]);
        Assert.Equal(PipelineValue.FromList([PipelineValue.FromString("a"), PipelineValue.FromString("b")]), result.Values["tags"]);

        var summary = result.Artifacts["summary"];
        Assert.False(summary.IsDirectory);
        Assert.Equal(Sha("scored with threshold 0.7\n"), summary.Digest);
        var summaryBlob = summary.Uri[$"blob:{_container}/".Length..];
        Assert.Equal("scored with threshold 0.7\n", (await container.GetBlobClient(summaryBlob).DownloadContentAsync()).Value.Content.ToString());

        var report = result.Artifacts["report"];
        Assert.True(report.IsDirectory);
        var reportPrefix = report.Uri[$"blob:{_container}/".Length..];
        Assert.Equal("weights-v1", (await container.GetBlobClient(reportPrefix + "/model-copy.txt").DownloadContentAsync()).Value.Content.ToString());
        Assert.True((await container.GetBlobClient(reportPrefix + "/plots/roc.png").ExistsAsync()).Value);

        var log = (await container.GetBlobClient(result.LogBlobs[0]).DownloadContentAsync()).Value.Content.ToString();
        Assert.Equal("run=run123 exp=7 uri=http://127.0.0.1:5000\n", log);
        Assert.Empty(Directory.GetDirectories(Path.Combine(_scratch, "work")));
    }

    [Fact]
    public async Task Run_ArtifactOutputFedToNextStep_ArrivesWithTheSameDigest()
    {
        var (executor, _) = await CreateAsync();
        var producer = await executor.RunToCompletionAsync(Request(Ready("""
            name: chain
            steps:
              make: { command: "mkdir -p $SERVERLESS_OUTPUTS/d && echo one > $SERVERLESS_OUTPUTS/d/1.txt && echo two > $SERVERLESS_OUTPUTS/d/2.txt", outputs: { d: artifact } }
            """)));
        Assert.True(producer.Succeeded, producer.FailureReason);

        var consumer = await executor.RunToCompletionAsync(Request(Ready("""
            name: chain
            steps:
              make: { command: make, outputs: { d: artifact } }
              use:
                command: "cat inputs/d/1.txt inputs/d/2.txt > $SERVERLESS_OUTPUTS/joined; cp -r inputs/d $SERVERLESS_OUTPUTS/copy"
                inputs: { d: "${{ steps.make.outputs.d }}" }
                outputs: { joined: artifact, copy: artifact }
            """, RunState.Empty.WithResult(new("make"), producer.ToStepResult()))));

        Assert.True(consumer.Succeeded, consumer.FailureReason);
        Assert.Equal(Sha("one\ntwo\n"), consumer.Artifacts["joined"].Digest);
        Assert.Equal(producer.Artifacts["d"].Digest, consumer.Artifacts["copy"].Digest);
    }

    [Fact]
    public async Task Run_MissingDeclaredOutput_FailsNamingTheOutput()
    {
        var (executor, _) = await CreateAsync();

        var result = await executor.RunToCompletionAsync(Request(Ready("""
            name: missing
            steps:
              a: { command: "true", outputs: { model: artifact, auc: number } }
            """)));

        Assert.False(result.Succeeded);
        Assert.Equal(FailureKind.Failed, result.FailureKind);
        Assert.Contains("artifact output 'model'", result.FailureReason, StringComparison.Ordinal);
        Assert.Equal(StepStatus.Failed, result.ToStepResult().Status);
    }

    [Fact]
    public async Task Run_NonZeroExit_FailsWithExitCodeAndKeepsStderr()
    {
        var (executor, container) = await CreateAsync();

        var result = await executor.RunToCompletionAsync(Request(Ready("""
            name: exit
            steps:
              a: { command: "echo 'schema drift: column Income missing' >&2; exit 3" }
            """)));

        Assert.False(result.Succeeded);
        Assert.Equal(3, result.ExitCode);
        Assert.Equal("the command exited with code 3", result.FailureReason);
        Assert.Equal("schema drift: column Income missing\n", (await container.GetBlobClient(result.LogBlobs[1]).DownloadContentAsync()).Value.Content.ToString());
    }

    [Fact]
    public async Task Run_Phases_SplitTheAttemptIntoStagingCommandAndUpload()
    {
        var (executor, container) = await CreateAsync();
        await container.CreateIfNotExistsAsync();
        // An input big enough that staging it is not free, and an output that must be uploaded after the exit.
        var payload = new string('x', 2 << 20);
        await container.GetBlobClient("upstream/big.txt").UploadAsync(BinaryData.FromString(payload));
        var state = RunState.Empty.WithResult(new("make"), StepResult.Succeeded(
            new Dictionary<string, ArtifactRef> { ["big"] = new($"blob:{_container}/upstream/big.txt", Sha(payload)) }));

        var result = await executor.RunToCompletionAsync(Request(Ready("""
            name: phases
            steps:
              make: { command: make, outputs: { big: artifact } }
              use:
                command: sleep 0.4; cp "${{ inputs.big }}" "${{ outputs.copy }}"
                inputs: { big: "${{ steps.make.outputs.big }}" }
                outputs: { copy: artifact }
            """, state)));

        Assert.True(result.Succeeded, result.FailureReason);
        var phases = Assert.IsType<StepPhases>(result.Phases);
        Assert.InRange(phases.Command, TimeSpan.FromSeconds(0.4), TimeSpan.FromSeconds(10));
        Assert.True(phases.Prepare > TimeSpan.Zero, "staging a 2 MiB input takes time");
        Assert.True(phases.Finalize > TimeSpan.Zero, "uploading a 2 MiB output takes time");
        Assert.Equal(result.Duration, phases.Prepare + phases.Command + phases.Finalize);
        Assert.Equal(payload, (await container.GetBlobClient(result.Artifacts["copy"].Uri[($"blob:{_container}/").Length..]).DownloadContentAsync()).Value.Content.ToString());
    }

    [Fact]
    public async Task Run_LongStep_LogIsReadableInBlobBeforeTheProcessEnds()
    {
        var (executor, container) = await CreateAsync();
        var release = Path.Combine(_scratch, "release");
        var step = Ready($$"""
            name: stream
            steps:
              a: { command: "echo first line; while [ ! -f {{release}} ]; do sleep 0.05; done; echo second line" }
            """);
        var request = Request(step);

        var handle = await executor.StartAsync(request);
        var logBlob = container.GetBlobClient(request.EffectiveBlobPrefix + "/stdout.log");
        string seen = string.Empty;
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!seen.Contains("first line", StringComparison.Ordinal))
        {
            await Task.Delay(100, patience.Token);
            if ((await logBlob.ExistsAsync(patience.Token)).Value)
            {
                seen = (await logBlob.DownloadContentAsync(patience.Token)).Value.Content.ToString();
            }
        }

        Assert.Null(await executor.TryGetResultAsync(handle));
        Assert.DoesNotContain("second line", seen, StringComparison.Ordinal);

        await File.WriteAllTextAsync(release, "go");
        var result = await executor.WaitAsync(handle, patience.Token);
        Assert.True(result.Succeeded, result.FailureReason);
        Assert.Equal("first line\nsecond line\n", (await logBlob.DownloadContentAsync()).Value.Content.ToString());
    }

    [Fact]
    public async Task Run_Timeout_KillsTheWholeTreeIncludingGrandchildrenThatIgnoreSigterm()
    {
        var (executor, _) = await CreateAsync();
        var pids = Path.Combine(_scratch, "pids");
        var step = Ready($$"""
            name: timeout
            steps:
              a:
                timeout: 1s
                command: |
                  sh -c 'trap "" TERM; sleep 300 & echo $! >> {{pids}}; wait' &
                  echo $! >> {{pids}}
                  sleep 300
            """);

        var result = await executor.RunToCompletionAsync(Request(step));

        Assert.False(result.Succeeded);
        Assert.Equal(FailureKind.TimedOut, result.FailureKind);
        Assert.Contains("timeout", result.FailureReason, StringComparison.Ordinal);
        var started = (await File.ReadAllLinesAsync(pids)).Select(int.Parse).ToList();
        Assert.Equal(2, started.Count);
        Assert.All(started, pid => Assert.False(IsAlive(pid), $"process {pid} survived the timeout"));
        Assert.True(result.Duration < TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task Cancel_RunningStep_KillsItsProcessGroupAndReportsCancelled()
    {
        var (executor, _) = await CreateAsync();
        var pids = Path.Combine(_scratch, "cancel-pids");
        var step = Ready($$"""
            name: cancel
            steps:
              a: { command: "sleep 300 & echo $! > {{pids}}; wait" }
            """);

        var handle = await executor.StartAsync(Request(step));
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!File.Exists(pids) || (await File.ReadAllTextAsync(pids, patience.Token)).Trim().Length == 0)
        {
            await Task.Delay(50, patience.Token);
        }

        await executor.CancelAsync(handle);
        var result = await executor.WaitAsync(handle, patience.Token);

        Assert.Equal(FailureKind.Cancelled, result.FailureKind);
        Assert.Equal(StepStatus.Cancelled, result.ToStepResult().Status);
        Assert.False(IsAlive(int.Parse(await File.ReadAllTextAsync(pids, patience.Token))));
    }

    [Fact]
    public async Task Run_MissingInputBlob_FailsNamingTheInput_WithNoPhasesBecauseTheCommandNeverStarted()
    {
        var (executor, _) = await CreateAsync();
        var step = Ready("""
            name: missing-input
            steps:
              a: { command: "true", inputs: { raw: { uri: "blob:nowhere/none.csv" } } }
            """);

        var result = await executor.RunToCompletionAsync(Request(step));

        Assert.False(result.Succeeded);
        Assert.Contains("input 'raw'", result.FailureReason, StringComparison.Ordinal);
        Assert.Null(result.Phases);
    }

    private static bool IsAlive(int pid)
    {
        // A killed child that nobody reaped shows as a zombie; it is gone for every practical purpose.
        var stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat))
        {
            return false;
        }

        try
        {
            var text = File.ReadAllText(stat);
            return text[(text.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }
}
