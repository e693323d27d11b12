using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Serverless.Cli.Infrastructure;
using Serverless.Cli.Output;
using Serverless.Cli.Packaging;

namespace Serverless.Cli.Commands;

/// <summary><c>smlops pipeline ...</c>: published pipelines and their versions.</summary>
internal static class PipelineCommands
{
    /// <summary>Builds the command group.</summary>
    public static Command Create() =>
        new Command("pipeline", "Publish pipelines and list published versions")
            .With(List(), Show(), Publish());

    private static Command List() =>
        new Command("list", "List published pipelines")
            .WithAction(async ctx =>
            {
                var answer = await ctx.Platform.GetAsync("api/pipelines", ctx.CancellationToken);
                if (ctx.Output.IsJson)
                {
                    ctx.Output.Json(answer);
                    return ExitCodes.Success;
                }

                var table = Tables.Create("NAME", "LATEST VERSION", "PUBLISHED");
                foreach (var p in answer["pipelines"] as JsonArray ?? [])
                {
                    table.Row(JsonText.Get(p, "name"), JsonText.Get(p, "latestVersion"), JsonText.Time(p, "publishedAt"));
                }

                ctx.Output.Write(table);
                return ExitCodes.Success;
            });

    private static Command Show()
    {
        var name = new Argument<string>("name") { Description = "The pipeline name" };
        return new Command("show", "List a pipeline's published versions")
            .With(name)
            .WithAction(async ctx =>
            {
                var answer = await ctx.Platform.GetAsync($"api/pipelines/{PlatformClient.Segment(ctx.Get(name)!)}", ctx.CancellationToken);
                if (ctx.Output.IsJson)
                {
                    ctx.Output.Json(answer);
                    return ExitCodes.Success;
                }

                ctx.Output.Line($"Pipeline: {answer["name"]}");
                var table = Tables.Create("VERSION", "PUBLISHED", "GIT", "BUILD INPUTS", "DEFINITION DIGEST", "CODE DIGEST");
                foreach (var v in answer["versions"] as JsonArray ?? [])
                {
                    // Where the code came from: the commit (short, '+dirty' for uncommitted changes) and how many
                    // files outside the folder the build read.
                    var commit = JsonText.Get(v, "gitCommit");
                    var git = commit.Length >= 10 ? commit[..10] + (v?["gitDirty"]?.GetValue<bool>() == true ? "+dirty" : string.Empty) : "-";
                    var inputs = (v?["buildInputs"] as JsonArray)?.Count ?? 0;
                    table.Row(JsonText.Get(v, "version"), JsonText.Time(v, "publishedAt"), git, inputs == 0 ? "-" : inputs.ToString(CultureInfo.InvariantCulture),
                        JsonText.Get(v, "definitionDigest"), JsonText.Get(v, "codeDigest"));
                }

                ctx.Output.Write(table);
                return ExitCodes.Success;
            });
    }

    private static Command Publish()
    {
        var folder = new Argument<string>("folder") { Description = "The pipeline folder (pipeline.yaml and step code)" };
        return new Command("publish", "Validate, zip and publish a pipeline folder as a new version (same content, same version)")
            .With(folder)
            .WithAction(async ctx =>
            {
                var answer = await PipelinePublisher.PublishAsync(ctx, PipelineFolder.Load(ctx.Get(folder)!));
                if (ctx.Output.IsJson)
                {
                    ctx.Output.Json(answer);
                }
                else
                {
                    var created = answer["created"] is JsonValue c && c.TryGetValue<bool>(out var b) && b;
                    ctx.Output.Line($"{answer["pipeline"]} version {answer["version"]} {(created ? "published" : "already published (unchanged)")}");
                }

                return ExitCodes.Success;
            });
    }
}
