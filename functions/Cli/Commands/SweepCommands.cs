using System.CommandLine;
using System.Text.Json.Nodes;
using Serverless.Cli.Infrastructure;
using Serverless.Cli.Output;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Serverless.Cli.Commands;

/// <summary><c>smlops sweep show|stop</c>: a swept step's trials.</summary>
internal static class SweepCommands
{
    /// <summary>Builds the command group.</summary>
    public static Command Create() =>
        new Command("sweep", "Hyperparameter sweeps of a run's step").With(Show(), Stop(), Control("pause", "Pause a sweep: no new trials start until resumed"), Control("resume", "Resume a paused sweep"));

    private static (Argument<string> Run, Argument<string> Step) Arguments() =>
        (new Argument<string>("runId") { Description = "The pipeline run id" },
         new Argument<string>("step") { Description = "The swept step's key" });

    private static string SweepPath(CommandContext ctx, Argument<string> run, Argument<string> step) =>
        $"api/runs/{PlatformClient.Segment(ctx.Get(run)!)}/steps/{PlatformClient.Segment(ctx.Get(step)!)}/sweep";

    private static Command Show()
    {
        var (run, step) = Arguments();
        var top = new Option<int>("--top") { Description = "Trials to list (best first)", DefaultValueFactory = _ => 20 };
        return new Command("show", "Show the leaderboard (best trials first) and parameter importance")
            .With(run, step, top)
            .WithAction(async ctx =>
            {
                var sweep = await ctx.Platform.GetAsync(SweepPath(ctx, run, step), ctx.CancellationToken);
                if (ctx.Output.IsJson)
                {
                    ctx.Output.Json(sweep);
                }
                else
                {
                    ctx.Output.Write(Render(sweep, ctx.Get(top)));
                }

                return ExitCodes.Success;
            });
    }

    private static Command Stop()
    {
        var (run, step) = Arguments();
        var cancelRunning = new Option<bool>("--cancel-running") { Description = "Also cancel trials that are running (default: let them finish)" };
        return new Command("stop", "Stop a sweep: no new trials start")
            .With(run, step, cancelRunning)
            .WithAction(async ctx =>
            {
                var body = new JsonObject { ["cancelRunning"] = ctx.Get(cancelRunning) };
                var answer = await ctx.Platform.PostAsync(SweepPath(ctx, run, step) + "/stop", body, ctx.CancellationToken);
                if (ctx.Output.IsJson)
                {
                    ctx.Output.Json(answer is JsonObject { Count: > 0 } ? answer : new JsonObject { ["stopRequested"] = true });
                }
                else
                {
                    ctx.Output.Line($"stop requested for the sweep of {ctx.Get(run)}/{ctx.Get(step)}");
                }

                return ExitCodes.Success;
            });
    }

    private static Command Control(string action, string description)
    {
        var (run, step) = Arguments();
        return new Command(action, description)
            .With(run, step)
            .WithAction(async ctx =>
            {
                var answer = await ctx.Platform.PostAsync(SweepPath(ctx, run, step) + "/" + action, new JsonObject(), ctx.CancellationToken);
                if (ctx.Output.IsJson)
                {
                    ctx.Output.Json(answer);
                }
                else
                {
                    ctx.Output.Line($"{action} requested for the sweep of {ctx.Get(run)}/{ctx.Get(step)}");
                }

                return ExitCodes.Success;
            });
    }

    /// <summary>The sweep as a header, a leaderboard and an importance table.</summary>
    internal static IRenderable Render(JsonNode sweep, int top)
    {
        var trials = sweep["trials"] as JsonArray ?? [];
        var paramNames = trials.SelectMany(t => (t?["params"] as JsonObject)?.Select(p => p.Key) ?? []).Distinct().ToList();
        var metric = sweep["metric"];
        var best = sweep["best"];
        var header = Tables.Properties(
        [
            ("Method", JsonText.Get(sweep, "method")),
            ("Metric", $"{JsonText.Get(metric, "name")} ({JsonText.Get(metric, "goal")})"),
            ("Status", JsonText.Get(sweep, "status")),
            ("Trials", trials.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("Best", best is JsonObject ? $"#{JsonText.Get(best, "number")} {Formats.Number(JsonText.Number(best, "value"))}" : "-"),
        ]);
        var leaderboard = Tables.Create(["#", "STATUS", JsonText.Get(metric, "name").ToUpperInvariant() is { Length: > 0 } m ? m : "VALUE", "STEP", .. paramNames]);
        foreach (var trial in trials.Take(top))
        {
            var cells = new List<string?>
            {
                JsonText.Get(trial, "number"),
                JsonText.Get(trial, "status"),
                Formats.Number(JsonText.Number(trial, "value")),
                JsonText.Get(trial, "step"),
            };
            cells.AddRange(paramNames.Select(p => JsonText.Get(trial?["params"], p)));
            leaderboard.Row([.. cells]);
        }

        var renderables = new List<IRenderable> { header, leaderboard };
        if (sweep["importance"] is JsonObject { Count: > 0 } importance)
        {
            var table = Tables.Create("PARAMETER", "IMPORTANCE");
            foreach (var (name, value) in importance.OrderByDescending(p => p.Value is JsonValue v && v.TryGetValue<double>(out var d) ? d : 0))
            {
                table.Row(name, value is JsonValue v && v.TryGetValue<double>(out var d) ? d.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture) : value?.ToJsonString());
            }

            renderables.Add(table);
        }

        return new Rows(renderables);
    }
}
