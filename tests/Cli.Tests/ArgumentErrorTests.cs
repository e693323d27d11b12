using Serverless.Testing;

namespace Serverless.Cli.Tests;

public class ArgumentErrorTests
{
    [Theory]
    [InlineData(new[] { "run", "show" }, "smlops: error: Required argument 'runId' missing for command: 'show'.", "Run 'smlops run show --help' for usage.")]
    [InlineData(new[] { "run", "list", "-o", "xml" }, "smlops: error: Argument 'xml' not recognized. Must be one of: 'table' 'json'", "Run 'smlops run list --help' for usage.")]
    [InlineData(new[] { "run", "list", "--top", "0" }, "smlops: error: --top must be a positive number", "Run 'smlops run list --help' for usage.")]
    [InlineData(new[] { "runs", "list" }, "smlops: error: Option '--experiment' is required.", "Run 'smlops runs list --help' for usage.")]
    [InlineData(new[] { "frobnicate" }, "smlops: error: Required command was not provided.\nsmlops: error: Unrecognized command or argument 'frobnicate'.", "Run 'smlops --help' for usage.")]
    public async Task BadArguments_OneLinePerProblem_ExitTwo(string[] args, string error, string hint)
    {
        var result = await CliProcess.RunAsync(null, args);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(error + "\n" + hint + "\n", result.Stderr);
        Assert.Empty(result.Stdout);
    }

    [Fact]
    public async Task BadParameterAssignment_UsageError()
    {
        var result = await CliProcess.RunAsync(new Uri("http://127.0.0.1:1"), "run", "start", "some-pipeline", "-p", "oops");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("smlops: error: -p 'oops': expected key=value, e.g. -p learning_rate=0.1\n", result.Stderr);
    }

    [Theory]
    [InlineData("run", "list")]
    [InlineData("experiments", "list")]
    [InlineData("pipeline", "list")]
    public async Task UnknownServer_ClearErrorNamingTheAddress(string group, string command)
    {
        var port = LoopbackPorts.GetFree();

        var result = await CliProcess.RunAsync(new Uri($"http://127.0.0.1:{port}"), group, command, "-o", "json");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"smlops: error: cannot reach the server at http://127.0.0.1:{port}: connection refused (set --server or SMLOPS_SERVER)\n", result.Stderr);
        Assert.Empty(result.Stdout);
    }

    [Fact]
    public async Task ServerOption_NotAnAddress_UsageError()
    {
        var result = await CliProcess.RunAsync(null, "run", "list", "--server", "not a url");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("smlops: error: --server: 'not a url' is not an http(s) address such as http://127.0.0.1:7071\n", result.Stderr);
    }
}
