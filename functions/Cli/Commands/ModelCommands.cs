using System.CommandLine;
using Serverless.Cli.Infrastructure;
using Serverless.Cli.Output;
using Serverless.Tracking.Client;

namespace Serverless.Cli.Commands;

/// <summary><c>smlops models list|show</c>: the MLflow model registry.</summary>
internal static class ModelCommands
{
    /// <summary>Builds the command group.</summary>
    public static Command Create() =>
        new Command("models", "Registered models (MLflow model registry)").With(List(), Show());

    private static Command List()
    {
        var filter = new Option<string?>("--filter") { Description = "MLflow filter, e.g. \"name LIKE 'credit%'\"" };
        return new Command("list", "List registered models")
            .With(filter)
            .WithAction(async ctx =>
            {
                var models = new List<RegisteredModel>();
                string? token = null;
                do
                {
                    var page = await ctx.Mlflow.SearchRegisteredModelsAsync(ctx.Get(filter), maxResults: 100, pageToken: token, ct: ctx.CancellationToken);
                    models.AddRange(page.Items);
                    token = page.NextPageToken;
                }
                while (token is not null);

                if (ctx.Output.IsJson)
                {
                    ctx.Output.Json(new
                    {
                        models = models.Select(m => new
                        {
                            name = m.Name,
                            description = m.Description,
                            creationTimestamp = m.CreationTimestamp,
                            lastUpdatedTimestamp = m.LastUpdatedTimestamp,
                            latestVersion = LatestVersion(m),
                            aliases = Aliases(m),
                            tags = (m.Tags ?? []).ToDictionary(t => t.Key, t => t.Value),
                        }).ToList(),
                    });
                    return ExitCodes.Success;
                }

                var table = Tables.Create("NAME", "LATEST VERSION", "ALIASES", "UPDATED", "DESCRIPTION");
                foreach (var m in models)
                {
                    table.Row(m.Name, LatestVersion(m), string.Join(", ", Aliases(m).Select(a => $"{a.Key}→{a.Value}")),
                        Formats.EpochMilliseconds(m.LastUpdatedTimestamp), m.Description);
                }

                ctx.Output.Write(table);
                return ExitCodes.Success;
            });
    }

    private static Command Show()
    {
        var name = new Argument<string>("name") { Description = "The registered model's name" };
        return new Command("show", "Show a registered model: versions, stages, aliases, lineage")
            .With(name)
            .WithAction(async ctx =>
            {
                var modelName = ctx.Get(name)!;
                RegisteredModel model;
                try
                {
                    model = await ctx.Mlflow.GetRegisteredModelAsync(modelName, ctx.CancellationToken);
                }
                catch (MlflowException e) when (e.ErrorCode == MlflowErrorCodes.ResourceDoesNotExist)
                {
                    throw new CliException($"no registered model named '{modelName}' (smlops models list shows them)");
                }

                var versions = new List<ModelVersion>();
                string? token = null;
                do
                {
                    var page = await ctx.Mlflow.SearchModelVersionsAsync(
                        $"name = '{modelName.Replace("'", "\\'", StringComparison.Ordinal)}'", pageToken: token, ct: ctx.CancellationToken);
                    versions.AddRange(page.Items);
                    token = page.NextPageToken;
                }
                while (token is not null);

                versions.Sort((a, b) => VersionNumber(b).CompareTo(VersionNumber(a)));
                var aliases = Aliases(model);
                if (ctx.Output.IsJson)
                {
                    ctx.Output.Json(new
                    {
                        name = model.Name,
                        description = model.Description,
                        creationTimestamp = model.CreationTimestamp,
                        lastUpdatedTimestamp = model.LastUpdatedTimestamp,
                        aliases,
                        tags = (model.Tags ?? []).ToDictionary(t => t.Key, t => t.Value),
                        versions,
                    });
                    return ExitCodes.Success;
                }

                ctx.Output.Write(Tables.Properties(
                [
                    ("Model", model.Name),
                    ("Description", model.Description),
                    ("Aliases", aliases.Count == 0 ? "-" : string.Join(", ", aliases.Select(a => $"{a.Key}→{a.Value}"))),
                    ("Updated", Formats.EpochMilliseconds(model.LastUpdatedTimestamp)),
                ]));
                var table = Tables.Create("VERSION", "ALIASES", "STAGE", "STATUS", "RUN ID", "CREATED", "SOURCE");
                foreach (var v in versions)
                {
                    var versionAliases = aliases.Where(a => a.Value == v.Version).Select(a => a.Key);
                    table.Row(v.Version, string.Join(", ", versionAliases), v.CurrentStage, v.Status, v.RunId,
                        Formats.EpochMilliseconds(v.CreationTimestamp), v.Source);
                }

                ctx.Output.Write(table);
                return ExitCodes.Success;
            });
    }

    private static Dictionary<string, string> Aliases(RegisteredModel model) =>
        (model.Aliases ?? []).ToDictionary(a => a.Alias, a => a.Version, StringComparer.Ordinal);

    private static string? LatestVersion(RegisteredModel model) =>
        (model.LatestVersions ?? []).OrderByDescending(VersionNumber).FirstOrDefault()?.Version;

    private static long VersionNumber(ModelVersion v) =>
        long.TryParse(v.Version, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 0;
}
