using Serverless.Pipelines.Definition;
using Serverless.Pipelines.Execution;
using Serverless.Pipelines.Packaging;
using Serverless.Pipelines.Planning;
using Serverless.Pipelines.Running;
using Serverless.Storage;
using Serverless.Testing;

namespace Serverless.Pipelines.Tests;

/// <summary>Whole pipelines run by the in-process runner: packaging, planning and the local executor together.</summary>
public sealed class LocalRunnerTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("runner-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private async Task<LocalPipelineRunner> CreateRunnerAsync(IStepCache? cache = null)
    {
        var storage = new StorageClients(new StorageOptions { ConnectionString = await Azurite.EnsureRunningAsync() });
        var packager = new PipelinePackager(storage, new PackageStoreOptions { ContainerName = TestNames.Unique("runpkg") });
        var executor = new LocalStepExecutor(storage, new LocalExecutorOptions
        {
            ArtifactContainer = TestNames.Unique("runart"),
            WorkRoot = Path.Combine(_root, "work"),
        });
        return new LocalPipelineRunner(packager, executor, Path.Combine(_root, "packages"), cache);
    }

    [Fact]
    public async Task Run_ShellPipeline_FansOutRetriesSkipsAndCachesOnTheSecondRun()
    {
        var folder = Path.Combine(_root, "shell");
        Directory.CreateDirectory(folder);
        var flaky = Path.Combine(_root, "flaky-attempts");
        await File.WriteAllTextAsync(Path.Combine(folder, "pipeline.yaml"), $$$"""
            name: shell-demo
            parameters:
              words: { type: list, default: [alpha, beta, gamma] }
            steps:
              split:
                command: echo "${{ item }}" | tr a-z A-Z > $SERVERLESS_OUTPUTS/upper; echo ${#SERVERLESS_ITEM} > $SERVERLESS_OUTPUTS/length
                foreach: { items: "${{ params.words }}", concurrency: 2 }
                outputs: { upper: artifact, length: int }
              join:
                command: cat inputs/parts/0 inputs/parts/1 inputs/parts/2 > $SERVERLESS_OUTPUTS/all; echo '${{ steps.split.outputs.length }}' > $SERVERLESS_OUTPUTS/lengths
                inputs: { parts: "${{ steps.split.outputs.upper }}" }
                outputs: { all: artifact, lengths: list }
              flaky:
                command: echo x >> {{{flaky}}}; [ $(wc -l < {{{flaky}}}) -ge 2 ]
                needs: [join]
                retries: { max_attempts: 3, backoff: { initial: 100ms } }
                cache: false
              never:
                command: exit 1
                when: "'delta' in params.words"
            """);
        var cache = new InMemoryStepCache();
        var runner = await CreateRunnerAsync(cache);

        var first = await runner.RunAsync(folder);

        Assert.Equal(RunOutcome.Succeeded, first.Outcome);
        Assert.Equal(StepStatus.Skipped, first.FinalPlan.StatusOf("never"));
        Assert.Equal(PipelineValue.Parse("[5,4,5]", PipelineType.List), first.State.Results[new("join")].Values["lengths"]);
        Assert.Equal(2, first.Attempts.Count(a => a.Key.Step == "flaky"));
        Assert.False(first.Attempts.First(a => a.Key.Step == "flaky").Succeeded);
        Assert.Empty(first.CacheHits);
        Assert.Equal(4, cache.Count);

        var second = await runner.RunAsync(folder);

        Assert.Equal(RunOutcome.Succeeded, second.Outcome);
        Assert.Equal(first.Package.Version, second.Package.Version);
        Assert.Equal(["split[0]", "split[1]", "split[2]", "join"], second.CacheHits.Select(k => k.ToString()));
        Assert.Equal(StepStatus.Cached, second.FinalPlan.StatusOf("join"));
        Assert.Equal(["flaky"], second.Attempts.Select(a => a.Key.Step));
        Assert.Equal(first.State.Results[new("join")].Artifacts["all"].Digest, second.State.Results[new("join")].Artifacts["all"].Digest);

        var third = await runner.RunAsync(folder, new Dictionary<string, PipelineValue> { ["words"] = PipelineValue.Parse("""["alpha","beta","delta"]""", PipelineType.List)! });
        Assert.Equal(RunOutcome.Failed, third.Outcome);
        Assert.Equal(["split[0]", "split[1]"], third.CacheHits.Take(2).Select(k => k.ToString()));
        Assert.Equal(StepStatus.Failed, third.FinalPlan.StatusOf("never"));
    }

    [Fact]
    public async Task Run_CreditScoringPipeline_TrainsEvaluatesAndGatesOnTheRealData()
    {
        // The package build normally runs `dotnet publish`; here it copies the step program this test run
        // already compiled, which keeps the test fast while everything after the build is the real thing.
        var source = Path.Combine(RepoPaths.Root, "pipelines", "credit-scoring");
        var folder = Path.Combine(_root, "credit-scoring");
        foreach (var file in PackageScanner.Scan(source))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(folder, file.Path))!);
            File.Copy(Path.Combine(source, file.Path), Path.Combine(folder, file.Path));
        }

        var configuration = AppContext.BaseDirectory.Contains("/bin/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var prebuilt = Path.Combine(source, "src", "bin", configuration, "net10.0");
        Assert.True(File.Exists(Path.Combine(prebuilt, "Serverless.CreditScoring.dll")), $"step program not built at {prebuilt}");
        // The build block (the key and its indented command and inputs) becomes the copy; the inputs are
        // outside this scratch folder and the copy reads none of them.
        var lines = (await File.ReadAllTextAsync(Path.Combine(folder, "pipeline.yaml"))).Split('\n').ToList();
        var buildAt = lines.FindIndex(l => l.StartsWith("build:", StringComparison.Ordinal));
        var blockEnd = lines.FindIndex(buildAt + 1, l => !l.StartsWith(' '));
        lines.RemoveRange(buildAt, blockEnd - buildAt);
        lines.Insert(buildAt, $"build: cp -r '{prebuilt}/.' \"$SERVERLESS_BUILD_OUTPUT\"");
        await File.WriteAllTextAsync(Path.Combine(folder, "pipeline.yaml"), string.Join('\n', lines));
        var runner = await CreateRunnerAsync();

        // A threshold no model reaches: the gate fails, so register is skipped and no tracking server is needed.
        var result = await runner.RunAsync(folder, new Dictionary<string, PipelineValue>
        {
            ["auc_threshold"] = PipelineValue.FromNumber(0.99),
            ["num_trees"] = PipelineValue.FromInt(100),
        });

        Assert.True(result.Outcome == RunOutcome.Succeeded, string.Join("\n", result.Attempts.Where(a => !a.Succeeded).Select(a => $"{a.Key}: {a.FailureReason}")));
        var values = result.State.Results;
        Assert.Equal(PipelineValue.FromInt(4454), values[new("validate")].Values["rows"]);
        Assert.Equal(PipelineValue.FromInt(891), values[new("preprocess")].Values["test_rows"]);
        var auc = values[new("evaluate")].Values["auc"].AsNumber();
        Assert.InRange(auc, 0.75, 0.95);
        Assert.False(values[new("gate")].Values["passed"].AsBool());
        Assert.Contains("below the threshold 0.9900", values[new("gate")].Values["reason"].AsString(), StringComparison.Ordinal);
        Assert.Equal(StepStatus.Skipped, result.FinalPlan.StatusOf("register"));
        Assert.True(values[new("train")].Artifacts["model"].IsDirectory);
        Assert.StartsWith("sha256:", values[new("evaluate")].Artifacts["report"].Digest, StringComparison.Ordinal);
        Assert.Contains(result.Package.Files, f => f.Path == "data/credit_data.csv"
            && f.Digest == "sha256:43c83a4630f1995f00b456becc4a84219616a2f2bae445e86c706264cc9050a4");
        Assert.Contains(result.Package.Files, f => f.Origin == "build" && f.Path == "Serverless.CreditScoring.dll");
    }
}
