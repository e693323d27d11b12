using System.Text.Json;
using System.Text.RegularExpressions;

namespace Serverless.Cli.Tests;

[Collection(HostGroup.Name)]
public sealed partial class PipelineRunCommandTests
{
    private readonly HostFixture _host;

    public PipelineRunCommandTests(HostFixture host)
    {
        _host = host;
    }

    [Fact]
    public async Task RunStart_FolderWithFollow_PublishesRunsReportsStepsAndServesLogs()
    {
        var folder = _host.WritePipeline("greet", """
            name: greet
            parameters:
              who: { type: string, default: world }
              times: { type: int, default: 1 }
            steps:
              hello:
                command: for i in $(seq ${{ params.times }}); do echo "hello ${{ params.who }} $i"; done; echo oops >&2; echo done > ${{ outputs.greeting }}
                outputs: { greeting: artifact }
              shout:
                command: tr a-z A-Z < ${{ inputs.text }}
                inputs: { text: "${{ steps.hello.outputs.greeting }}" }
            """);

        var started = await CliProcess.RunAsync(_host.Server, "run", "start", folder, "-p", "who=cli", "-p", "times=2", "--follow");

        Assert.True(started.ExitCode == 0, started.ToString());
        Assert.Matches(@"published greet version [0-9a-f]{16}", started.Stderr);
        var runId = StartedId(started);
        Assert.Matches(@"\d\d:\d\d:\d\d hello Succeeded in ", started.Stdout);
        Assert.Matches(@"\d\d:\d\d:\d\d shout Succeeded in ", started.Stdout);
        Assert.EndsWith($"run {runId} Succeeded\n", started.Stdout, StringComparison.Ordinal);

        var show = await CliProcess.RunAsync(_host.Server, "run", "show", runId, "-o", "json");
        var table = await CliProcess.RunAsync(_host.Server, "run", "show", runId);
        var list = await CliProcess.RunAsync(_host.Server, "run", "list", "--pipeline", "greet", "--status", "Succeeded", "-o", "json");
        var logs = await CliProcess.RunAsync(_host.Server, "logs", runId, "hello");
        var errors = await CliProcess.RunAsync(_host.Server, "logs", runId, "hello", "--stderr", "--attempt", "1");
        var wait = await CliProcess.RunAsync(_host.Server, "run", "wait", runId);
        var cancelFinished = await CliProcess.RunAsync(_host.Server, "run", "cancel", runId);
        var republish = await CliProcess.RunAsync(_host.Server, "pipeline", "publish", folder, "-o", "json");
        var pipelines = await CliProcess.RunAsync(_host.Server, "pipeline", "list", "-o", "json");
        var versions = await CliProcess.RunAsync(_host.Server, "pipeline", "show", "greet");

        using (var doc = JsonDocument.Parse(show.Stdout))
        {
            var run = doc.RootElement;
            Assert.Equal("Succeeded", run.GetProperty("status").GetString());
            Assert.Equal(2, run.GetProperty("parameters").GetProperty("times").GetInt32());
            Assert.Equal("cli", run.GetProperty("parameters").GetProperty("who").GetString());
            Assert.Equal(["hello", "shout"], run.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("key").GetString()));
        }

        Assert.Matches(@"hello\s+Succeeded\s+1\s+\S+\s+local", table.Stdout);
        Assert.Matches(@"Status:\s+Succeeded", table.Stdout);
        using (var doc = JsonDocument.Parse(list.Stdout))
        {
            Assert.Contains(doc.RootElement.GetProperty("runs").EnumerateArray(), r => r.GetProperty("id").GetString() == runId);
        }

        Assert.Equal("hello cli 1\nhello cli 2\n", logs.Stdout);
        Assert.Equal("oops\n", errors.Stdout);
        Assert.Equal((0, $"run {runId} Succeeded\n"), (wait.ExitCode, wait.Stdout));
        Assert.Equal(1, cancelFinished.ExitCode);
        Assert.StartsWith("smlops: error: CONFLICT: ", cancelFinished.Stderr, StringComparison.Ordinal);
        Assert.Single(cancelFinished.Stderr.TrimEnd('\n').Split('\n'));
        using (var doc = JsonDocument.Parse(republish.Stdout))
        {
            Assert.False(doc.RootElement.GetProperty("created").GetBoolean());
            Assert.Equal("greet", doc.RootElement.GetProperty("pipeline").GetString());
        }

        using (var doc = JsonDocument.Parse(pipelines.Stdout))
        {
            Assert.Contains(doc.RootElement.GetProperty("pipelines").EnumerateArray(), p => p.GetProperty("name").GetString() == "greet");
        }

        Assert.Matches(@"[0-9a-f]{16}\s+\d{4}-\d\d-\d\d", versions.Stdout);
    }

    [Fact]
    public async Task RunStart_FailingStep_FollowExitsOne_RerunFromFailedSucceeds()
    {
        var flag = Path.Combine(_host.Scratch, "flaky.flag");
        await File.WriteAllTextAsync(flag, "fail");
        var folder = _host.WritePipeline("flaky", $$$"""
            name: flaky
            steps:
              first:
                command: echo 9 > ${{ outputs.n }}
                outputs: { n: int }
              second:
                command: test ! -e {{{flag}}} && test ${{ steps.first.outputs.n }} = 9
            """);

        var failed = await CliProcess.RunAsync(_host.Server, "run", "start", folder, "--follow");
        File.Delete(flag);
        var runId = StartedId(failed);
        var rerun = await CliProcess.RunAsync(_host.Server, "run", "rerun", runId, "--from-failed", "--follow", "-o", "json");

        Assert.True(failed.ExitCode == 1, failed.ToString());
        Assert.Matches(@"second Failed", failed.Stdout);
        Assert.Matches($@"run {runId} Failed: \S.*\n$", failed.Stdout);
        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        using var doc = JsonDocument.Parse(rerun.Stdout);
        Assert.Equal("Succeeded", doc.RootElement.GetProperty("status").GetString());
        Assert.NotEqual(runId, doc.RootElement.GetProperty("id").GetString());
        var steps = doc.RootElement.GetProperty("steps").EnumerateArray().ToDictionary(s => s.GetProperty("key").GetString()!, s => s.GetProperty("status").GetString());
        Assert.Equal("Cached", steps["first"]);
        Assert.Equal("Succeeded", steps["second"]);
        Assert.Contains("second Succeeded", rerun.Stderr, StringComparison.Ordinal);

        var forced = await CliProcess.RunAsync(_host.Server, "run", "start", folder, "--no-cache", "--follow", "-o", "json");
        Assert.True(forced.ExitCode == 0, forced.ToString());
        using var forcedDoc = JsonDocument.Parse(forced.Stdout);
        Assert.All(forcedDoc.RootElement.GetProperty("steps").EnumerateArray(), s => Assert.Equal("Succeeded", s.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task Follow_CtrlC_LeavesRunRunning_UnlessCancelOnInterrupt()
    {
        var folder = _host.WritePipeline("sleepy", """
            name: sleepy
            steps:
              nap:
                command: sleep 120
            """);

        string keptId;
        using (var cli = CliProcess.Start(_host.Server, null, "run", "start", folder, "--follow"))
        {
            await cli.WaitForOutputAsync("nap Running");
            cli.Interrupt();
            var result = await cli.WaitAsync(TimeSpan.FromSeconds(30));
            keptId = StartedId(result);
            Assert.True(result.ExitCode == 130, result.ToString());
            Assert.Contains($"interrupted: stopped following; run {keptId} is still running", result.Stderr, StringComparison.Ordinal);
        }

        await Task.Delay(1500);
        var stillRunning = await CliProcess.RunAsync(_host.Server, "run", "show", keptId, "-o", "json");
        using (var doc = JsonDocument.Parse(stillRunning.Stdout))
        {
            Assert.Equal("Running", doc.RootElement.GetProperty("status").GetString());
        }

        string cancelledId;
        using (var cli = CliProcess.Start(_host.Server, null, "run", "start", "sleepy", "--follow", "--cancel-on-interrupt"))
        {
            await cli.WaitForOutputAsync("nap Running");
            cli.Interrupt();
            var result = await cli.WaitAsync(TimeSpan.FromSeconds(30));
            cancelledId = StartedId(result);
            Assert.True(result.ExitCode == 130, result.ToString());
            Assert.Contains($"interrupted: cancel requested for run {cancelledId}", result.Stderr, StringComparison.Ordinal);
        }

        var cancelled = await CliProcess.RunAsync(_host.Server, "run", "wait", cancelledId, "--timeout", "60");
        var cancelKept = await CliProcess.RunAsync(_host.Server, "run", "cancel", keptId);
        var keptEnd = await CliProcess.RunAsync(_host.Server, "run", "wait", keptId, "--timeout", "60", "-o", "json");

        Assert.Equal((1, $"run {cancelledId} Cancelled"), (cancelled.ExitCode, cancelled.Stdout.Split(':')[0].TrimEnd('\n')));
        Assert.Equal((0, $"cancel requested for run {keptId}\n"), (cancelKept.ExitCode, cancelKept.Stdout));
        Assert.Equal(1, keptEnd.ExitCode);
        using (var doc = JsonDocument.Parse(keptEnd.Stdout))
        {
            Assert.Equal("Cancelled", doc.RootElement.GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task LogsFollow_RightAfterStart_WaitsForTheStepAndStreamsUntilItEnds()
    {
        var folder = _host.WritePipeline("talker", """
            name: talker
            steps:
              talk:
                command: for i in 1 2 3 4; do echo "line $i"; sleep 0.7; done
            """);
        var start = await CliProcess.RunAsync(_host.Server, "run", "start", folder);
        var runId = start.Stdout.Trim();
        Assert.True(start.ExitCode == 0 && runId.Length > 0, start.ToString());
        // Straight after the start the step may not have begun: following waits for its log to appear.
        var logs = await CliProcess.RunAsync(_host.Server, "logs", runId, "talk", "--follow");

        Assert.True(logs.ExitCode == 0, logs.ToString());
        Assert.Equal("line 1\nline 2\nline 3\nline 4\n", logs.Stdout);
    }

    [Fact]
    public async Task RunStart_BadInput_ClearErrorsBeforeOrFromTheServer()
    {
        var typed = _host.WritePipeline("typed", """
            name: typed
            parameters:
              epochs: { type: int, default: 1 }
            steps:
              a:
                command: "true"
            """);
        var invalid = _host.WritePipeline("invalid", "name: invalid\nsteps:\n  a:\n    command: echo ${{ params.nope }}\n");

        var badType = await CliProcess.RunAsync(_host.Server, "run", "start", typed, "-p", "epochs=many");
        var badFolder = await CliProcess.RunAsync(_host.Server, "run", "start", invalid);
        var unknown = await CliProcess.RunAsync(_host.Server, "run", "start", "no-such-pipeline");
        var unknownRun = await CliProcess.RunAsync(_host.Server, "run", "show", "no-such-run", "-o", "json");

        Assert.Equal((2, "smlops: error: -p epochs: parameter 'epochs' is an int, but got 'many'\n"), (badType.ExitCode, badType.Stderr));
        Assert.Equal(1, badFolder.ExitCode);
        Assert.Equal(
            [$"smlops: error: {invalid}/pipeline.yaml: the pipeline is invalid (1 problem)", $"{invalid}/pipeline.yaml:4:23: bad expression in the command of step 'a': unknown parameter 'nope'"],
            badFolder.Stderr.TrimEnd('\n').Split('\n'));
        Assert.Equal(1, unknown.ExitCode);
        Assert.StartsWith("smlops: error: NOT_FOUND: ", unknown.Stderr, StringComparison.Ordinal);
        Assert.Contains("no-such-pipeline", unknown.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, unknownRun.ExitCode);
        Assert.StartsWith("smlops: error: NOT_FOUND: ", unknownRun.Stderr, StringComparison.Ordinal);
        Assert.Empty(unknownRun.Stdout);
    }

    [Fact]
    public async Task RunStart_SharedBuildInputEdited_PublishesANewVersionBuiltFromTheEdit()
    {
        // The build reads shared code outside the folder: the upload carries it, the server builds from it,
        // and an edit to it gives a new version whose steps see the new build.
        var folder = _host.WritePipeline("shared-build", """
            name: shared-build
            build:
              command: mkdir -p $SERVERLESS_BUILD_OUTPUT && cp ../shared-lib/greeting.txt $SERVERLESS_BUILD_OUTPUT/
              inputs: [../shared-lib]
            steps:
              hello:
                command: cat $SERVERLESS_BUILD/greeting.txt
            """,
            new Dictionary<string, string> { ["../shared-lib/greeting.txt"] = "hello from v1\n" });

        var first = await CliProcess.RunAsync(_host.Server, "run", "start", folder, "--follow");
        await File.WriteAllTextAsync(Path.Combine(folder, "..", "shared-lib", "greeting.txt"), "hello from v2\n");
        var second = await CliProcess.RunAsync(_host.Server, "run", "start", folder, "--follow");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(second.ExitCode == 0, second.ToString());
        var firstVersion = PublishedRegex().Match(first.Stderr).Groups[1].Value;
        var secondVersion = PublishedRegex().Match(second.Stderr).Groups[1].Value;
        Assert.Matches("^[0-9a-f]{16}$", firstVersion);
        Assert.Matches("^[0-9a-f]{16}$", secondVersion);
        Assert.NotEqual(firstVersion, secondVersion);
        var show = await CliProcess.RunAsync(_host.Server, "pipeline", "show", "shared-build", "-o", "json");
        var table = await CliProcess.RunAsync(_host.Server, "pipeline", "show", "shared-build");
        using (var doc = JsonDocument.Parse(show.Stdout))
        {
            var version = doc.RootElement.GetProperty("versions").EnumerateArray().Single(v => v.GetProperty("version").GetString() == secondVersion);
            var input = Assert.Single(version.GetProperty("buildInputs").EnumerateArray());
            Assert.Equal("../shared-lib/greeting.txt", input.GetProperty("path").GetString());
            Assert.Equal("sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("hello from v2\n"u8)), input.GetProperty("digest").GetString());
        }

        Assert.Matches($@"{secondVersion}\s+\d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d\s+-\s+1\s+sha256:", table.Stdout);
        var firstLogs = await CliProcess.RunAsync(_host.Server, "logs", StartedId(first), "hello");
        var secondLogs = await CliProcess.RunAsync(_host.Server, "logs", StartedId(second), "hello");
        Assert.Contains("hello from v1", firstLogs.Stdout, StringComparison.Ordinal);
        Assert.Contains("hello from v2", secondLogs.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PipelinePublish_MissingBuildInput_FailsNamingTheLineWithoutUploading()
    {
        var folder = _host.WritePipeline("missing-input", """
            name: missing-input
            build:
              command: "true"
              inputs: [../no-such-lib]
            steps:
              a: { command: "true" }
            """);

        var publish = await CliProcess.RunAsync(_host.Server, "pipeline", "publish", folder);
        var show = await CliProcess.RunAsync(_host.Server, "pipeline", "show", "missing-input");

        Assert.NotEqual(0, publish.ExitCode);
        Assert.Contains("pipeline.yaml:4:12: build input '../no-such-lib' does not exist", publish.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", publish.Stderr, StringComparison.Ordinal);
        Assert.NotEqual(0, show.ExitCode);
    }

    private static string StartedId(CliResult result)
    {
        var match = StartedRegex().Match(result.Stderr);
        Assert.True(match.Success, result.ToString());
        return match.Groups[1].Value;
    }

    [GeneratedRegex(@"run (\S+) started; following")]
    private static partial Regex StartedRegex();

    [GeneratedRegex(@"published \S+ version ([0-9a-f]{16})")]
    private static partial Regex PublishedRegex();
}
