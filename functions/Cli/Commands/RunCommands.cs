using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Serverless.Cli.Infrastructure;
using Serverless.Cli.Output;
using Serverless.Cli.Packaging;
using Serverless.Cli.Runs;

namespace Serverless.Cli.Commands;

/// <summary><c>smlops run ...</c>: start, list, show, cancel, rerun and wait for pipeline runs.</summary>
internal static class RunCommands
{
    /// <summary>Builds the command group.</summary>
    public static Command Create() =>
        new Command("run", "Start and manage pipeline runs")
            .With(Start(), List(), Show(), Cancel(), Rerun(), Wait());

    private static Option<bool> FollowOption() =>
        new("--follow", "-f") { Description = "Show live per-step progress until the run ends; exit 0 only if it succeeded" };

    private static Option<bool> CancelOnInterruptOption() =>
        new("--cancel-on-interrupt") { Description = "With --follow: Ctrl+C cancels the run (default: it keeps running)" };

    private static Argument<string> RunIdArgument() => new("runId") { Description = "The run id" };

    private static Command Start()
    {
        var target = new Argument<string>("pipeline") { Description = "A pipeline folder (validated, zipped, published) or a published pipeline's name" };
        var parameters = new Option<string[]>("--param", "-p") { Description = "A parameter as key=value (repeatable)", HelpName = "key=value" };
        var experiment = new Option<string?>("--experiment") { Description = "MLflow experiment to record the run in", HelpName = "name" };
        var version = new Option<string?>("--version") { Description = "With a pipeline name: the published version (default: latest)" };
        var runId = new Option<string?>("--run-id") { Description = "Use this run id instead of a generated one" };
        var noCache = new Option<bool>("--no-cache") { Description = "Run every step, even those an identical earlier execution could be reused for" };
        var follow = FollowOption();
        var cancelOnInterrupt = CancelOnInterruptOption();
        return new Command("start", "Start a pipeline run")
            .With(target, parameters, experiment, version, runId, noCache, follow, cancelOnInterrupt)
            .WithAction(async ctx =>
            {
                var arg = ctx.Get(target)!;
                string name;
                string? pipelineVersion = ctx.Get(version);
                JsonObject parameterJson;
                if (PipelineFolder.IsLocal(arg))
                {
                    var folder = PipelineFolder.Load(arg).EnsureValid();
                    parameterJson = ParameterParser.ToJson(ctx.Get(parameters), folder.Result.Definition);
                    if (pipelineVersion is not null)
                    {
                        throw new CliException("--version applies to a published pipeline name, not to a folder (a folder is published first)", ExitCodes.Usage);
                    }

                    var published = await PipelinePublisher.PublishAsync(ctx, folder);
                    name = folder.Result.Definition!.Name;
                    pipelineVersion = published["version"]?.ToString();
                    ctx.Output.Note($"published {name} version {pipelineVersion}{(published["created"]?.GetValue<bool>() == false ? " (unchanged)" : string.Empty)}");
                }
                else
                {
                    name = arg;
                    parameterJson = ParameterParser.ToJson(ctx.Get(parameters));
                }

                var body = new JsonObject { ["parameters"] = parameterJson };
                AddIfSet(body, "version", pipelineVersion);
                AddIfSet(body, "experimentName", ctx.Get(experiment));
                AddIfSet(body, "runId", ctx.Get(runId));
                if (ctx.Get(noCache))
                {
                    body["cache"] = false;
                }

                var started = await ctx.Platform.PostAsync($"api/pipelines/{PlatformClient.Segment(name)}/runs", body, ctx.CancellationToken);
                return await ReportStartedAsync(ctx, started, ctx.Get(follow), ctx.Get(cancelOnInterrupt));
            });
    }

    private static Command List()
    {
        var pipeline = new Option<string?>("--pipeline") { Description = "Only runs of this pipeline" };
        var status = new Option<string?>("--status") { Description = "Only runs with this status" };
        status.AcceptOnlyFromAmong("Pending", "Running", "Succeeded", "Failed", "Cancelled");
        var top = new Option<int?>("--top") { Description = "At most this many runs" };
        top.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is <= 0)
            {
                r.AddError("--top must be a positive number");
            }
        });
        return new Command("list", "List pipeline runs, newest first")
            .With(pipeline, status, top)
            .WithAction(async ctx =>
            {
                var query = PlatformClient.Query(
                    ("pipeline", ctx.Get(pipeline)),
                    ("status", ctx.Get(status)),
                    ("top", ctx.Get(top)?.ToString(CultureInfo.InvariantCulture)));
                var answer = await ctx.Platform.GetAsync("api/runs" + query, ctx.CancellationToken);
                if (ctx.Output.IsJson)
                {
                    ctx.Output.Json(answer);
                    return ExitCodes.Success;
                }

                var table = Tables.Create("ID", "PIPELINE", "VERSION", "STATUS", "CREATED", "UPDATED");
                foreach (var node in answer["runs"] as JsonArray ?? [])
                {
                    var run = RunView.From(node!);
                    table.Row(run.Id, run.Pipeline, run.Version, run.Status, Formats.Time(run.CreatedAt), Formats.Time(run.LastUpdatedAt));
                }

                ctx.Output.Write(table);
                if (answer["continuationToken"] is JsonValue)
                {
                    ctx.Output.Note("more runs exist: narrow with --pipeline/--status or raise --top");
                }

                return ExitCodes.Success;
            });
    }

    private static Command Show()
    {
        var id = RunIdArgument();
        return new Command("show", "Show a run and the status of each step")
            .With(id)
            .WithAction(async ctx =>
            {
                var (run, document) = await new RunFollower(ctx.Platform, ctx.Output).GetAsync(ctx.Get(id)!, ctx.CancellationToken);
                if (ctx.Output.IsJson)
                {
                    ctx.Output.Json(document);
                }
                else
                {
                    ctx.Output.Write(RunRenderer.Details(run, DateTimeOffset.UtcNow));
                }

                return ExitCodes.Success;
            });
    }

    private static Command Cancel()
    {
        var id = RunIdArgument();
        return new Command("cancel", "Cancel a run: running steps are stopped and nothing new starts")
            .With(id)
            .WithAction(async ctx =>
            {
                var runId = ctx.Get(id)!;
                var answer = await ctx.Platform.PostAsync($"api/runs/{PlatformClient.Segment(runId)}/cancel", null, ctx.CancellationToken);
                if (ctx.Output.IsJson)
                {
                    ctx.Output.Json(answer is JsonObject { Count: > 0 } ? answer : new JsonObject { ["id"] = runId, ["cancelRequested"] = true });
                }
                else
                {
                    ctx.Output.Line($"cancel requested for run {runId}");
                }

                return ExitCodes.Success;
            });
    }

    private static Command Rerun()
    {
        var id = RunIdArgument();
        var fromFailed = new Option<bool>("--from-failed") { Description = "Resume from the failed steps, reusing the succeeded steps' outputs" };
        var runId = new Option<string?>("--run-id") { Description = "Id of the new run" };
        var follow = FollowOption();
        var cancelOnInterrupt = CancelOnInterruptOption();
        return new Command("rerun", "Run a finished run again, all of it or from its failed steps")
            .With(id, fromFailed, runId, follow, cancelOnInterrupt)
            .WithAction(async ctx =>
            {
                var body = new JsonObject { ["mode"] = ctx.Get(fromFailed) ? "failed" : "all" };
                AddIfSet(body, "runId", ctx.Get(runId));
                var started = await ctx.Platform.PostAsync($"api/runs/{PlatformClient.Segment(ctx.Get(id)!)}/rerun", body, ctx.CancellationToken);
                return await ReportStartedAsync(ctx, started, ctx.Get(follow), ctx.Get(cancelOnInterrupt));
            });
    }

    private static Command Wait()
    {
        var id = RunIdArgument();
        var timeout = new Option<int?>("--timeout") { Description = "Give up after this many seconds (exit 1; the run keeps running)", HelpName = "seconds" };
        return new Command("wait", "Wait until a run ends; exit 0 only if it succeeded")
            .With(id, timeout)
            .WithAction(ctx => RunWatch.WatchAsync(
                ctx, ctx.Get(id)!, cancelOnInterrupt: false, quiet: true,
                ctx.Get(timeout) is int seconds ? TimeSpan.FromSeconds(seconds) : null));
    }

    private static async Task<int> ReportStartedAsync(CommandContext ctx, JsonNode started, bool follow, bool cancelOnInterrupt)
    {
        var id = started["id"]?.ToString() ?? throw new CliException("the server started a run but did not say its 'id'");
        if (follow)
        {
            ctx.Output.Note($"run {id} started; following (Ctrl+C stops following{(cancelOnInterrupt ? " and cancels the run" : ", the run keeps running")})");
            return await RunWatch.WatchAsync(ctx, id, cancelOnInterrupt);
        }

        if (ctx.Output.IsJson)
        {
            ctx.Output.Json(started);
        }
        else
        {
            ctx.Output.Line(id);
            ctx.Output.Note($"run {id} started (pipeline {started["pipeline"]} version {started["version"]}); follow it with: smlops run wait {id}");
        }

        return ExitCodes.Success;
    }

    private static void AddIfSet(JsonObject body, string key, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            body[key] = value;
        }
    }
}
