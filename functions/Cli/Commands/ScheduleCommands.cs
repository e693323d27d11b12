using System.CommandLine;
using System.Text.Json.Nodes;
using Serverless.Cli.Infrastructure;
using Serverless.Cli.Output;
using Spectre.Console;

namespace Serverless.Cli.Commands;

/// <summary><c>smlops schedule ...</c>: the cron schedules declared in pipelines.</summary>
internal static class ScheduleCommands
{
    /// <summary>Builds the command group.</summary>
    public static Command Create() =>
        new Command("schedule", "Pipeline schedules: list, inspect, pause, resume, trigger, delete, apply")
            .With(List(), Show(), Action("pause", "Pause a schedule (no runs fire until resumed)", "pause", "paused"),
                Action("resume", "Resume a paused schedule", "resume", "resumed"), Trigger(), Delete(), Apply());

    private static Argument<string> IdArgument() => new("id") { Description = "The schedule id" };

    private static Command List()
    {
        var pipeline = new Option<string?>("--pipeline") { Description = "Only this pipeline's schedules" };
        return new Command("list", "List schedules")
            .With(pipeline)
            .WithAction(async ctx =>
            {
                var answer = await ctx.Platform.GetAsync("api/schedules" + PlatformClient.Query(("pipeline", ctx.Get(pipeline))), ctx.CancellationToken);
                if (ctx.Output.IsJson)
                {
                    ctx.Output.Json(answer);
                }
                else
                {
                    ctx.Output.Write(Table(answer["schedules"] as JsonArray ?? []));
                }

                return ExitCodes.Success;
            });
    }

    private static Command Show()
    {
        var id = IdArgument();
        return new Command("show", "Show a schedule and its next occurrences")
            .With(id)
            .WithAction(async ctx =>
            {
                var s = await ctx.Platform.GetAsync($"api/schedules/{PlatformClient.Segment(ctx.Get(id)!)}", ctx.CancellationToken);
                if (ctx.Output.IsJson)
                {
                    ctx.Output.Json(s);
                    return ExitCodes.Success;
                }

                var next = (s["nextOccurrences"] as JsonArray ?? []).Select(n => Formats.Time(DateTimeOffset.TryParse(n?.ToString(), System.Globalization.CultureInfo.InvariantCulture, out var t) ? t : null));
                ctx.Output.Write(Tables.Properties(
                [
                    ("Schedule", JsonText.Get(s, "id")),
                    ("Pipeline", JsonText.Get(s, "pipeline")),
                    ("Name", JsonText.Get(s, "name")),
                    ("Cron", $"{JsonText.Get(s, "cron")} ({JsonText.Get(s, "timeZone")})"),
                    ("Paused", JsonText.Get(s, "paused")),
                    ("Overlap", JsonText.Get(s, "overlap")),
                    ("Catch-up", JsonText.Get(s, "catchUp")),
                    ("Last fired", JsonText.Time(s, "lastFiredAt")),
                    ("Last run", JsonText.Get(s, "lastRunId")),
                    ("Next", string.Join(", ", next)),
                ]));
                return ExitCodes.Success;
            });
    }

    private static Command Action(string name, string description, string verb, string done)
    {
        var id = IdArgument();
        return new Command(name, description)
            .With(id)
            .WithAction(async ctx =>
            {
                var scheduleId = ctx.Get(id)!;
                var answer = await ctx.Platform.PostAsync($"api/schedules/{PlatformClient.Segment(scheduleId)}/{verb}", null, ctx.CancellationToken);
                if (ctx.Output.IsJson)
                {
                    ctx.Output.Json(answer is JsonObject { Count: > 0 } ? answer : new JsonObject { ["id"] = scheduleId, [done] = true });
                }
                else
                {
                    ctx.Output.Line($"schedule {scheduleId} {done}");
                }

                return ExitCodes.Success;
            });
    }

    private static Command Trigger()
    {
        var id = IdArgument();
        return new Command("trigger", "Start a run of the schedule's pipeline now")
            .With(id)
            .WithAction(async ctx =>
            {
                var scheduleId = ctx.Get(id)!;
                var answer = await ctx.Platform.PostAsync($"api/schedules/{PlatformClient.Segment(scheduleId)}/trigger", null, ctx.CancellationToken);
                if (ctx.Output.IsJson)
                {
                    ctx.Output.Json(answer);
                }
                else
                {
                    ctx.Output.Line(JsonText.Get(answer, "runId"));
                    ctx.Output.Note($"schedule {scheduleId} triggered run {JsonText.Get(answer, "runId")}");
                }

                return ExitCodes.Success;
            });
    }

    private static Command Delete()
    {
        var id = IdArgument();
        return new Command("delete", "Delete a schedule")
            .With(id)
            .WithAction(async ctx =>
            {
                var scheduleId = ctx.Get(id)!;
                await ctx.Platform.DeleteAsync($"api/schedules/{PlatformClient.Segment(scheduleId)}", ctx.CancellationToken);
                if (ctx.Output.IsJson)
                {
                    ctx.Output.Json(new JsonObject { ["id"] = scheduleId, ["deleted"] = true });
                }
                else
                {
                    ctx.Output.Line($"schedule {scheduleId} deleted");
                }

                return ExitCodes.Success;
            });
    }

    private static Command Apply()
    {
        var pipeline = new Argument<string>("pipeline") { Description = "The published pipeline whose YAML declares the schedules" };
        var version = new Option<string?>("--version") { Description = "The published version (default: latest)" };
        return new Command("apply", "Create, update and remove schedules to match those declared in a pipeline version")
            .With(pipeline, version)
            .WithAction(async ctx =>
            {
                var body = new JsonObject();
                if (ctx.Get(version) is { Length: > 0 } v)
                {
                    body["version"] = v;
                }

                var answer = await ctx.Platform.PostAsync($"api/pipelines/{PlatformClient.Segment(ctx.Get(pipeline)!)}/schedules/apply", body, ctx.CancellationToken);
                if (ctx.Output.IsJson)
                {
                    ctx.Output.Json(answer);
                }
                else
                {
                    ctx.Output.Write(Table(answer["schedules"] as JsonArray ?? []));
                }

                return ExitCodes.Success;
            });
    }

    private static Table Table(JsonArray schedules)
    {
        var table = Tables.Create("ID", "PIPELINE", "NAME", "CRON", "TIME ZONE", "PAUSED", "NEXT", "LAST RUN");
        foreach (var s in schedules)
        {
            var next = (s?["nextOccurrences"] as JsonArray)?.FirstOrDefault()?.ToString();
            var nextText = DateTimeOffset.TryParse(next, System.Globalization.CultureInfo.InvariantCulture, out var t) ? Formats.Time(t) : next;
            table.Row(JsonText.Get(s, "id"), JsonText.Get(s, "pipeline"), JsonText.Get(s, "name"), JsonText.Get(s, "cron"),
                JsonText.Get(s, "timeZone"), JsonText.Get(s, "paused"), nextText, JsonText.Get(s, "lastRunId"));
        }

        return table;
    }
}
