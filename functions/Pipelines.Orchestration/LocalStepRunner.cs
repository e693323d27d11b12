using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Serverless.Orchestration;
using Serverless.Pipelines.Attempts;
using Serverless.Pipelines.Execution;
using Serverless.Pipelines.Planning;

namespace Serverless.Pipelines.Orchestration;

/// <summary>
/// The activity behind <see cref="StepAttempts.LocalOrchestration"/>: runs one attempt to completion with the
/// <see cref="LocalStepExecutor"/>, stopping it when the attempt's cancel marker appears, and cleaning up after a
/// crashed predecessor (a redelivered activity kills the process group its first delivery left behind).
/// </summary>
internal sealed class LocalStepRunner(LocalStepExecutor executor, PackageCache packages, StepCancelMarkers markers, PipelineRunOptions options)
{
    // Attempts running in this process. A delivery of an attempt that is already running here (its message became
    // visible again, e.g. a renewal came late on a busy machine) joins it instead of killing and restarting it.
    private readonly ConcurrentDictionary<string, Lazy<Task<StepExecutionResult>>> _running = new(StringComparer.Ordinal);

    // attemptId: the attempt's sub-orchestration instance id, or the id it would have had when run directly.
    public async Task<StepExecutionResult> RunAsync(string attemptId, ActivityContext context, StepAttemptInput? input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var run = _running.GetOrAdd(attemptId, _ => new Lazy<Task<StepExecutionResult>>(() => RunOnceAsync(attemptId, context, input)));
        try
        {
            return await run.Value;
        }
        finally
        {
            _running.TryRemove(new KeyValuePair<string, Lazy<Task<StepExecutionResult>>>(attemptId, run));
        }
    }

    private async Task<StepExecutionResult> RunOnceAsync(string attemptId, ActivityContext context, StepAttemptInput input)
    {
        var stateDir = Path.Combine(options.AttemptStateRoot, SafeName(attemptId));
        Directory.CreateDirectory(stateDir);
        var groupFile = Path.Combine(stateDir, "pgid");

        // Checkpoint 1: a group file left by an earlier delivery means that delivery's host died mid-step.
        KillStaleGroup(groupFile, input);

        // The cancel check and the package (fetched once per version per host, then in memory) are independent.
        var cancelledEarly = markers.IsSetAsync(attemptId, context.CancellationToken);
        var fetch = packages.FetchAsync(input.Pipeline, input.PackageVersion, context.CancellationToken);
        var definition = packages.GetDefinitionAsync(input.Pipeline, input.PackageVersion, context.CancellationToken);
        ReadyStep step;
        string packageDir;
        try
        {
            packageDir = await fetch;
            step = input.ToReadyStep(await definition);
        }
        catch (InvalidOperationException ex)
        {
            return input.Unsuccessful(FailureKind.Infrastructure, ex.Message);
        }

        if (await cancelledEarly)
        {
            return input.Unsuccessful(FailureKind.Cancelled, "the step was cancelled before it started");
        }

        var request = new StepExecutionRequest
        {
            RunId = input.RunId,
            Step = step,
            Attempt = input.Attempt,
            PackageDirectory = packageDir,
            Tracking = input.Tracking,
            BlobPrefix = input.BlobPrefix,
            ProcessGroupFile = groupFile,
        };

        // Checkpoint 2: the executor writes the group id into groupFile as soon as the command starts.
        var handle = await executor.StartAsync(request, context.CancellationToken);
        var wait = executor.WaitAsync(handle, CancellationToken.None);
        var cancelSent = false;
        while (!wait.IsCompleted)
        {
            await Task.WhenAny(wait, Task.Delay(options.CancelPollInterval, CancellationToken.None));
            if (!wait.IsCompleted && !cancelSent && await markers.IsSetAsync(attemptId, CancellationToken.None))
            {
                cancelSent = true;
                await executor.CancelAsync(handle, CancellationToken.None);
            }
        }

        var result = await wait;

        // Checkpoint 3: the group is gone; a redelivery from here on has nothing to kill.
        TryDelete(groupFile);
        return result;
    }

    private static void KillStaleGroup(string groupFile, StepAttemptInput input)
    {
        if (!File.Exists(groupFile) || !int.TryParse(File.ReadAllText(groupFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var group) || group <= 1)
        {
            return;
        }

        // While any member of the group lives, Linux does not reuse its id, so signalling the group is safe. Only
        // when the leader's pid exists do we check it is really our step's shell (its pid may have been reused).
        var environ = $"/proc/{group}/environ";
        if (File.Exists(environ))
        {
            string env;
            try
            {
                env = File.ReadAllText(environ, Encoding.UTF8);
            }
            catch (IOException)
            {
                env = string.Empty;
            }
            catch (UnauthorizedAccessException)
            {
                env = string.Empty;
            }

            if (!env.Contains($"SERVERLESS_RUN_ID={input.RunId}\0", StringComparison.Ordinal)
                || !env.Contains($"SERVERLESS_ATTEMPT={input.Attempt}\0", StringComparison.Ordinal))
            {
                TryDelete(groupFile);
                return;
            }
        }

        ProcessGroup.Signal(group, ProcessGroup.SigKill);
        for (var i = 0; i < 50 && ProcessGroup.Exists(group); i++)
        {
            Thread.Sleep(20);
        }

        TryDelete(groupFile);
    }

    internal static string SafeName(string id)
    {
        var builder = new StringBuilder(id.Length);
        foreach (var c in id)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_');
        }

        return builder.ToString();
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
    }
}
