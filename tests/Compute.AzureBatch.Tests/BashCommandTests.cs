using System.Diagnostics;

namespace Serverless.Compute.AzureBatch.Tests;

public sealed class BashCommandTests
{
    [Theory]
    [InlineData("plain")]
    [InlineData("it's")]
    [InlineData("'; rm -rf / #")]
    [InlineData("$HOME `id` $(whoami) \"quoted\" \\ back")]
    [InlineData("multi\nline\ttab")]
    [InlineData("")]
    public async Task Quote_AnyText_BashSeesExactlyOneUnchangedWord(string word)
    {
        // Run real bash: the quoted word must reach printf as one argument, byte for byte.
        var output = await RunBashAsync("printf '%s|' " + BashCommand.Quote(word) + "; printf '%d' $#", argsAfter: []);

        Assert.Equal(word + "|0", output);
    }

    [Fact]
    public async Task Wrap_Script_RunsUnderBashWithVariablesExpanded()
    {
        var commandLine = BashCommand.Wrap("X='it'\"'\"'s'; echo \"$X $GREETING\" && exit 3");

        Assert.StartsWith("/bin/bash -c '", commandLine, StringComparison.Ordinal);
        // Batch splits commandLine like a shell would; `bash -c` of the whole line reproduces that here.
        var (output, exit) = await RunAsync("/bin/bash", ["-c", commandLine], ("GREETING", "hello"));
        Assert.Equal("it's hello\n", output);
        Assert.Equal(3, exit);
    }

    [Fact]
    public void Join_Arguments_EachQuoted()
    {
        Assert.Equal("'python' 'train.py' '--name' 'a b'", BashCommand.Join(["python", "train.py", "--name", "a b"]));
    }

    private static async Task<string> RunBashAsync(string script, string[] argsAfter)
    {
        var (output, _) = await RunAsync("/bin/bash", ["-c", script, .. argsAfter]);
        return output;
    }

    private static async Task<(string Output, int Exit)> RunAsync(string file, string[] args, params (string, string)[] env)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        foreach (var (k, v) in env)
        {
            info.Environment[k] = v;
        }

        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (output, process.ExitCode);
    }
}
