using System.CommandLine;
using System.Globalization;
using Serverless.Cli.Infrastructure;
using Serverless.Cli.Runs;

namespace Serverless.Cli.Commands;

/// <summary><c>smlops logs</c>: prints (and with <c>--follow</c> streams) a step's stdout or stderr.</summary>
internal static class LogsCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var runId = new Argument<string>("runId") { Description = "The run id" };
        var step = new Argument<string>("step") { Description = "The step key, e.g. train or train[2]" };
        var stderrOption = new Option<bool>("--stderr") { Description = "The step's stderr instead of its stdout" };
        var attempt = new Option<int?>("--attempt") { Description = "This attempt (default: the latest)", HelpName = "n" };
        attempt.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is <= 0)
            {
                r.AddError("--attempt must be 1 or more");
            }
        });
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing as the log grows until the step ends" };
        return new Command("logs", "Print a step's log")
            .With(runId, step, stderrOption, attempt, follow)
            .WithAction(async ctx =>
            {
                var run = ctx.Get(runId)!;
                var key = ctx.Get(step)!;
                var stream = ctx.Get(stderrOption) ? "stderr" : "stdout";
                var following = ctx.Get(follow);
                var output = Console.OpenStandardOutput();
                long offset = 0;
                while (true)
                {
                    var path = $"api/runs/{PlatformClient.Segment(run)}/steps/{PlatformClient.Segment(key)}/logs" + PlatformClient.Query(
                        ("stream", stream),
                        ("attempt", ctx.Get(attempt)?.ToString(CultureInfo.InvariantCulture)),
                        ("offset", offset.ToString(CultureInfo.InvariantCulture)),
                        ("follow", following ? "true" : "false"));
                    try
                    {
                        using var response = await ctx.Platform.GetStreamingAsync(path, ctx.CancellationToken);
                        await using var body = await response.Content.ReadAsStreamAsync(ctx.CancellationToken);
                        var buffer = new byte[16 * 1024];
                        int read;
                        while ((read = await body.ReadAsync(buffer, ctx.CancellationToken)) > 0)
                        {
                            await output.WriteAsync(buffer.AsMemory(0, read), ctx.CancellationToken);
                            await output.FlushAsync(ctx.CancellationToken);
                            offset += read;
                        }
                    }
                    catch (CliException e) when (following && offset == 0 && e.Message.StartsWith("NOT_FOUND", StringComparison.Ordinal))
                    {
                        // A step that has not started has no log yet: following waits for it.
                        if (!await StepPendingAsync(ctx, run, key))
                        {
                            throw;
                        }
                    }
                    catch (OperationCanceledException) when (ctx.CancellationToken.IsCancellationRequested)
                    {
                        return ExitCodes.Interrupted;
                    }
                    catch (HttpRequestException) when (following)
                    {
                        // The stream broke mid-way (host restart, proxy timeout): resume from the offset below.
                    }
                    catch (IOException) when (following)
                    {
                        // Same as above, surfaced by the body stream.
                    }

                    if (!following || await StepFinishedAsync(ctx, run, key))
                    {
                        return ExitCodes.Success;
                    }

                    // The server ended the stream while the step still runs: ask again from where we are.
                    await Task.Delay(TimeSpan.FromSeconds(1), ctx.CancellationToken);
                }
            });
    }

    private static async Task<bool> StepPendingAsync(CommandContext ctx, string runId, string key)
    {
        var (run, _) = await new RunFollower(ctx.Platform, ctx.Output).GetAsync(runId, ctx.CancellationToken);
        var step = run.Steps.FirstOrDefault(s => s.Key == key);
        // No steps listed yet means the run is still being planned; a listed run without this key means a wrong key.
        return !run.IsFinished && (step is { Status: "Pending" or "Running" } || (step is null && run.Steps.Count == 0));
    }

    private static async Task<bool> StepFinishedAsync(CommandContext ctx, string runId, string key)
    {
        var (run, _) = await new RunFollower(ctx.Platform, ctx.Output).GetAsync(runId, ctx.CancellationToken);
        var step = run.Steps.FirstOrDefault(s => s.Key == key);
        return run.IsFinished || step is null || RunStatuses.IsStepFinished(step.Status);
    }
}
