using System.Diagnostics;

namespace Serverless.Pipelines.Execution;

/// <summary>
/// A step's command as a process: started under <c>setsid /bin/sh -c</c> in its own process group, its output
/// pumped to the log writers and flushed periodically, killed as a group on timeout or cancellation.
/// </summary>
internal static class StepProcess
{
    // The final appends of the logs are the caller's, so that they can overlap the output uploads.
    public static async Task<(int ExitCode, bool TimedOut, bool Cancelled, TimeSpan Ran)> RunAsync(
        StepExecutionRequest request, string work, Dictionary<string, string> env, Task logsCreated, BlobLogWriter stdout, BlobLogWriter stderr,
        LocalExecutorOptions options, CancellationToken cancel)
    {
        // setsid makes the shell the leader of a new process group (its pid is the group id), so one signal
        // to the group reaches every process the step started, however deep.
        var start = new ProcessStartInfo("setsid")
        {
            WorkingDirectory = work,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("/bin/sh");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(request.Step.Command);
        foreach (var (k, v) in env)
        {
            start.Environment[k] = v;
        }

        var launched = Stopwatch.GetTimestamp();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start setsid /bin/sh");
        process.StandardInput.Close();
        var groupId = process.Id;
        if (request.ProcessGroupFile is { } groupFile)
        {
            await File.WriteAllTextAsync(groupFile, groupId.ToString(System.Globalization.CultureInfo.InvariantCulture), CancellationToken.None);
        }

        using var pumpsDone = new CancellationTokenSource();
        var pumps = Task.WhenAll(
            stdout.PumpAsync(process.StandardOutput.BaseStream, pumpsDone.Token),
            stderr.PumpAsync(process.StandardError.BaseStream, pumpsDone.Token));
        using var flushStop = new CancellationTokenSource();
        var flusher = FlushLoopAsync([stdout, stderr], logsCreated, options.LogFlushInterval, flushStop.Token);

        using var deadline = new CancellationTokenSource();
        if (request.Step.Definition.Timeout is { } timeout)
        {
            deadline.CancelAfter(timeout);
        }

        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancel, deadline.Token);
        var timedOut = false;
        var cancelled = false;
        try
        {
            await process.WaitForExitAsync(either.Token);
        }
        catch (OperationCanceledException)
        {
            cancelled = cancel.IsCancellationRequested;
            timedOut = !cancelled;
            await KillGroupAsync(process, groupId, options.KillGracePeriod);
        }

        var ran = Stopwatch.GetElapsedTime(launched);

        // The step is over when its shell exits: anything it left running in its group is stopped too, which
        // also closes the pipes a lingering background child would otherwise keep open.
        ProcessGroup.Signal(groupId, ProcessGroup.SigKill);
        try
        {
            await pumps.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
        }
        catch (TimeoutException)
        {
            // A process that escaped the group (its own setsid) still holds the pipe; stop reading it.
            await pumpsDone.CancelAsync();
        }
        catch (OperationCanceledException)
        {
        }

        await flushStop.CancelAsync();
        await flusher;
        return (timedOut || cancelled ? -1 : process.ExitCode, timedOut, cancelled, ran);
    }

    private static async Task KillGroupAsync(Process process, int groupId, TimeSpan gracePeriod)
    {
        ProcessGroup.Signal(groupId, ProcessGroup.SigTerm);
        using var grace = new CancellationTokenSource(gracePeriod);
        try
        {
            await process.WaitForExitAsync(grace.Token);
            // The shell may exit on SIGTERM while children ignore it; give them the rest of the grace period.
            while (ProcessGroup.Exists(groupId) && !grace.IsCancellationRequested)
            {
                await Task.Delay(50, CancellationToken.None);
            }
        }
        catch (OperationCanceledException)
        {
        }

        ProcessGroup.Signal(groupId, ProcessGroup.SigKill);
        await process.WaitForExitAsync(CancellationToken.None);
    }

    private static async Task FlushLoopAsync(BlobLogWriter[] writers, Task created, TimeSpan interval, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                if (!created.IsCompletedSuccessfully)
                {
                    // Not there yet (or failed: the caller reports that); the output stays buffered meanwhile.
                    continue;
                }

                foreach (var w in writers)
                {
                    await w.FlushAsync(stop);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
