using System.CommandLine;
using Serverless.Cli.Infrastructure;
using Serverless.Cli.Output;
using Serverless.Tracking.Client;

namespace Serverless.Cli.Commands;

/// <summary><c>smlops experiments list</c>: MLflow experiments.</summary>
internal static class ExperimentCommands
{
    /// <summary>Builds the command group.</summary>
    public static Command Create()
    {
        var filter = new Option<string?>("--filter") { Description = "MLflow filter, e.g. \"name LIKE 'credit%'\"" };
        var all = new Option<bool>("--all") { Description = "Include deleted experiments" };
        var list = new Command("list", "List experiments")
            .With(filter, all)
            .WithAction(async ctx =>
            {
                var experiments = new List<Experiment>();
                string? token = null;
                do
                {
                    var page = await ctx.Mlflow.SearchExperimentsAsync(
                        ctx.Get(filter), maxResults: 1000, pageToken: token, viewType: ctx.Get(all) ? "ALL" : "ACTIVE_ONLY", ct: ctx.CancellationToken);
                    experiments.AddRange(page.Items);
                    token = page.NextPageToken;
                }
                while (token is not null);

                if (ctx.Output.IsJson)
                {
                    ctx.Output.Json(new { experiments });
                    return ExitCodes.Success;
                }

                var table = Tables.Create("ID", "NAME", "STAGE", "CREATED", "ARTIFACT LOCATION");
                foreach (var e in experiments)
                {
                    table.Row(e.ExperimentId, e.Name, e.LifecycleStage, Formats.EpochMilliseconds(e.CreationTime), e.ArtifactLocation);
                }

                ctx.Output.Write(table);
                return ExitCodes.Success;
            });
        return new Command("experiments", "MLflow experiments").With(list);
    }
}
