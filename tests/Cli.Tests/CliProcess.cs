using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Serverless.Testing;

namespace Serverless.Cli.Tests;

/// <summary>The built smlops.dll run as a child process, as a user or a script runs it.</summary>
public sealed class CliProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource _stdoutDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stderrDone = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private CliProcess(Process process)
    {
        _process = process;
    }

    public static string CliDll
    {
        get
        {
#if DEBUG
            const string configuration = "Debug";
#else
            const string configuration = "Release";
#endif
            return Path.Combine(RepoPaths.Root, "functions", "Cli", "bin", configuration, "net10.0", "smlops.dll");
        }
    }

    public string Stdout
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Runs smlops to completion.</summary>
    public static async Task<CliResult> RunAsync(Uri? server, params string[] args) =>
        await RunInAsync(server, null, args);

    /// <summary>Runs smlops to completion in <paramref name="workingDirectory"/>.</summary>
    public static async Task<CliResult> RunInAsync(Uri? server, string? workingDirectory, params string[] args)
    {
        using var cli = Start(server, workingDirectory, args);
        return await cli.WaitAsync(TimeSpan.FromMinutes(3));
    }

    /// <summary>Starts smlops and returns at once (for --follow and Ctrl+C tests).</summary>
    public static CliProcess Start(Uri? server, string? workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? RepoPaths.Root,
        };
        start.ArgumentList.Add(CliDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("SMLOPS_SERVER");
        start.Environment.Remove("SMLOPS_TOKEN");
        start.Environment.Remove("SMLOPS_FUNCTION_KEY");
        if (server is not null)
        {
            start.Environment["SMLOPS_SERVER"] = server.AbsoluteUri;
        }

        start.Environment["DOTNET_DbgEnableMiniDump"] = "0";
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start smlops");
        var cli = new CliProcess(process);
        process.OutputDataReceived += (_, e) => Append(cli._stdout, e.Data, cli._stdoutDone);
        process.ErrorDataReceived += (_, e) => Append(cli._stderr, e.Data, cli._stderrDone);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return cli;
    }

    /// <summary>Sends SIGINT, as Ctrl+C in a terminal does.</summary>
    public void Interrupt()
    {
        if (Kill(_process.Id, 2) != 0)
        {
            throw new InvalidOperationException($"kill -INT {_process.Id} failed");
        }
    }

    /// <summary>Waits for stdout to contain <paramref name="text"/> (or stderr, when asked).</summary>
    public async Task WaitForOutputAsync(string text, bool stderr = false, int timeoutSeconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (!(stderr ? Stderr : Stdout).Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"'{text}' not seen. stdout:\n{Stdout}\nstderr:\n{Stderr}");
            }

            await Task.Delay(100);
        }
    }

    public async Task<CliResult> WaitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            await Task.WhenAll(_stdoutDone.Task, _stderrDone.Task).WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"smlops did not exit within {timeout}. stdout:\n{Stdout}\nstderr:\n{Stderr}");
        }

        return new CliResult(_process.ExitCode, Stdout, Stderr);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private static void Append(StringBuilder target, string? line, TaskCompletionSource done)
    {
        if (line is null)
        {
            done.TrySetResult();
            return;
        }

        lock (target)
        {
            target.Append(line).Append('\n');
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}

/// <summary>What a finished smlops process printed and returned.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}
