using System.Text.RegularExpressions;

namespace Serverless.Cli.Tests;

/// <summary>
/// A pipeline whose build reads shared code outside its folder, published and run through the CLI against a
/// real host: the upload carries the inputs, the server builds from them, and editing the shared code gives a
/// new version whose steps see the new build.
/// </summary>
[Collection(HostGroup.Name)]
public sealed partial class BuildInputsCommandTests
{
    private readonly HostFixture _host;

    public BuildInputsCommandTests(HostFixture host)
    {
        _host = host;
    }

    [Fact]
    public async Task RunStart_SharedBuildInputEdited_PublishesANewVersionBuiltFromTheEdit()
    {
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
        var firstLogs = await CliProcess.RunAsync(_host.Server, "logs", StartedRegex().Match(first.Stderr).Groups[1].Value, "hello");
        var secondLogs = await CliProcess.RunAsync(_host.Server, "logs", StartedRegex().Match(second.Stderr).Groups[1].Value, "hello");
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

    [GeneratedRegex(@"published shared-build version ([0-9a-f]{16})")]
    private static partial Regex PublishedRegex();

    [GeneratedRegex(@"run (\S+) started; following")]
    private static partial Regex StartedRegex();
}
