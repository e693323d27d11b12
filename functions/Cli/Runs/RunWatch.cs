using System.Text.Json.Nodes;
using Serverless.Cli.Infrastructure;

namespace Serverless.Cli.Runs;

/// <summary>The end of <c>--follow</c> and <c>run wait</c>: exit codes, Ctrl+C, the final document.</summary>
internal static class RunWatch
{
    /// <summary>
    /// Follows (or quietly waits for) the run. Ctrl+C stops watching and leaves the run running, unless
    /// <paramref name="cancelOnInterrupt"/>, which cancels it first.
    /// </summary>
    /// <returns>0 when the run succeeded, 1 when it failed or was cancelled, 130 on Ctrl+C.</returns>
    public static async Task<int> WatchAsync(CommandContext ctx, string runId, bool cancelOnInterrupt, bool quiet = false, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        var follower = new RunFollower(ctx.Platform, ctx.Output);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ctx.CancellationToken);
        if (timeout is { } t)
        {
            deadline.CancelAfter(t);
        }

        RunView run;
        JsonNode document;
        try
        {
            (run, document) = quiet ? await WaitAsync(follower, runId, deadline.Token) : await follower.FollowAsync(runId, deadline.Token);
        }
        catch (OperationCanceledException) when (ctx.CancellationToken.IsCancellationRequested)
        {
            if (cancelOnInterrupt)
            {
                using var cancelTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                await ctx.Platform.PostAsync($"api/runs/{PlatformClient.Segment(runId)}/cancel", null, cancelTimeout.Token);
                ctx.Output.Note($"interrupted: cancel requested for run {runId}");
            }
            else
            {
                ctx.Output.Note($"interrupted: stopped following; run {runId} is still running (smlops run show {runId})");
            }

            return ExitCodes.Interrupted;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new CliException($"run {runId} did not finish within {timeout!.Value.TotalSeconds:0} s (it is still running)");
        }

        if (ctx.Output.IsJson)
        {
            ctx.Output.Json(document);
        }
        else if (quiet || ctx.Output.Interactive)
        {
            ctx.Output.Line(run.Reason is { Length: > 0 } reason && run.Status != RunStatuses.Succeeded
                ? $"run {run.Id} {run.Status}: {reason}"
                : $"run {run.Id} {run.Status}");
        }

        return run.Status == RunStatuses.Succeeded ? ExitCodes.Success : ExitCodes.Error;
    }

    private static async Task<(RunView, JsonNode)> WaitAsync(RunFollower follower, string runId, CancellationToken ct)
    {
        while (true)
        {
            var (run, document) = await follower.GetAsync(runId, ct);
            if (run.IsFinished)
            {
                return (run, document);
            }

            await Task.Delay(TimeSpan.FromSeconds(1), ct);
        }
    }
}
