using System.CommandLine;
using System.Text.Json.Nodes;
using Serverless.Cli.Infrastructure;
using Serverless.Cli.Packaging;

namespace Serverless.Cli.Commands;

/// <summary><c>smlops validate</c>: checks a pipeline locally, without a server.</summary>
internal static class ValidateCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var path = new Argument<string>("path") { Description = "A pipeline folder or its pipeline.yaml" };
        return new Command("validate", "Check a pipeline definition locally; prints every problem as file:line:column: message")
            .With(path)
            .WithAction(ctx =>
            {
                var folder = PipelineFolder.Load(ctx.Get(path)!);
                var result = folder.Result;
                if (ctx.Output.IsJson)
                {
                    ctx.Output.Json(new JsonObject
                    {
                        ["valid"] = result.IsValid,
                        ["file"] = folder.DisplayPath,
                        ["pipeline"] = result.Definition?.Name,
                        ["diagnostics"] = new JsonArray(result.Diagnostics.Select(d => (JsonNode)new JsonObject
                        {
                            ["file"] = d.Mark.File,
                            ["line"] = d.Mark.Line,
                            ["column"] = d.Mark.Column,
                            ["message"] = d.Message,
                        }).ToArray()),
                    });
                }
                else if (result.IsValid)
                {
                    var d = result.Definition!;
                    ctx.Output.Line($"{folder.DisplayPath}: valid (pipeline '{d.Name}', {d.Steps.Count} step{(d.Steps.Count == 1 ? string.Empty : "s")})");
                }
                else
                {
                    foreach (var diagnostic in result.Diagnostics)
                    {
                        ctx.Output.Line(diagnostic.ToString());
                    }

                    ctx.Output.Note($"{folder.DisplayPath}: {result.Diagnostics.Count} problem{(result.Diagnostics.Count == 1 ? string.Empty : "s")}");
                }

                return Task.FromResult(result.IsValid ? ExitCodes.Success : ExitCodes.Error);
            });
    }
}
