using System.Text.Json;

namespace Serverless.Cli.Tests;

public sealed class ValidateCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cli-validate-").FullName;

    [Fact]
    public async Task Validate_ValidFolder_SaysValidAndExitsZero()
    {
        Write("ok/pipeline.yaml", "name: ok\nsteps:\n  a:\n    command: echo hi\n  b:\n    command: echo there\n    needs: [a]\n");

        var result = await CliProcess.RunInAsync(null, _dir, "validate", "ok");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("ok/pipeline.yaml: valid (pipeline 'ok', 2 steps)\n", result.Stdout);
    }

    [Fact]
    public async Task Validate_BrokenFile_EveryProblemAsFileLineColumn_ExitsOne()
    {
        Write("broken/pipeline.yaml", "name: Broken\nsteps:\n  a:\n    command: echo ${{ params.nope }}\n    retries: lots\n  b:\n    needs: [c]\n    comand: x\n");

        var result = await CliProcess.RunInAsync(null, _dir, "validate", "broken/pipeline.yaml");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            [
                "broken/pipeline.yaml:1:7: 'name' must be lowercase letters, digits and dashes, starting with a letter (at most 63), but is 'Broken'",
                "broken/pipeline.yaml:4:23: bad expression in the command of step 'a': unknown parameter 'nope'",
                "broken/pipeline.yaml:5:14: the retries of step 'a' must be an integer, but found 'lots'",
                "broken/pipeline.yaml:6:3: step 'b' has no 'command'",
                "broken/pipeline.yaml:7:13: step 'b' needs unknown step 'c' (did you mean 'a'?)",
                "broken/pipeline.yaml:8:5: unknown key 'comand' in step 'b' (did you mean 'command'?)",
            ],
            result.Stdout.TrimEnd('\n').Split('\n'));
        Assert.Equal("broken/pipeline.yaml: 6 problems\n", result.Stderr);
    }

    [Fact]
    public async Task Validate_JsonOutput_OnlyOneParseableDocumentOnStdout()
    {
        Write("bad/pipeline.yaml", "name: bad\nsteps:\n  a:\n    command: echo\n    needs: [zz]\n");

        var result = await CliProcess.RunInAsync(null, _dir, "validate", "bad", "--output", "json");

        Assert.Equal(1, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Stdout);
        Assert.False(doc.RootElement.GetProperty("valid").GetBoolean());
        var d = Assert.Single(doc.RootElement.GetProperty("diagnostics").EnumerateArray());
        Assert.Equal("bad/pipeline.yaml", d.GetProperty("file").GetString());
        Assert.Equal(5, d.GetProperty("line").GetInt32());
        Assert.Equal("step 'a' needs unknown step 'zz'", d.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Validate_BadSchedule_ReportedWithLineAndColumn()
    {
        Write("timed/pipeline.yaml", "name: timed\nsteps:\n  a:\n    command: echo hi\nschedules:\n  - name: nightly\n    cron: \"61 * * * *\"\n");

        var result = await CliProcess.RunInAsync(null, _dir, "validate", "timed");

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Stdout.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("timed/pipeline.yaml:7:", line, StringComparison.Ordinal);
        Assert.Contains("cron", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_BadSweepBlock_ReportedWithLineAndColumnBeforeAnyRun()
    {
        Write("swept/pipeline.yaml", string.Join('\n',
            "name: swept",
            "parameters:",
            "  lr: { type: number, default: 0.1 }",
            "steps:",
            "  train:",
            "    command: echo ${{ params.lr }}",
            "    sweep:",
            "      method: bayes",
            "      metric: { name: loss, goal: minimize }",
            "      parameters:",
            "        lr: { min: 0.001, max: 0.1, distribution: log_uniform_values }",
            "        depth: { values: [2, 4] }",
            ""));

        var result = await CliProcess.RunInAsync(null, _dir, "validate", "swept");

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Stdout.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("swept/pipeline.yaml:12:9: sweep parameter 'depth' overrides no pipeline parameter", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_MissingPathOrDefinition_OneLineError()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "empty"));

        var missing = await CliProcess.RunInAsync(null, _dir, "validate", "nowhere");
        var empty = await CliProcess.RunInAsync(null, _dir, "validate", "empty");

        Assert.Equal(1, missing.ExitCode);
        Assert.Equal("smlops: error: nowhere: no such file or folder\n", missing.Stderr);
        Assert.Equal(1, empty.ExitCode);
        Assert.Equal("smlops: error: empty: folder has no pipeline.yaml\n", empty.Stderr);
        Assert.Empty(empty.Stdout);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private void Write(string path, string content)
    {
        var full = Path.Combine(_dir, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
    }
}
