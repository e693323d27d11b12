using System.CommandLine;
using Serverless.Cli.Infrastructure;
using Serverless.Cli.Output;
using Serverless.Tracking.Client;

namespace Serverless.Cli.Commands;

/// <summary><c>smlops runs list</c>: MLflow runs of an experiment, with metrics and params.</summary>
internal static class TrackingRunCommands
{
    private const int MaxMetricColumns = 6;

    /// <summary>Builds the command group.</summary>
    public static Command Create()
    {
        var experiment = new Option<string>("--experiment", "-e") { Description = "Experiment name", Required = true, HelpName = "name" };
        var filter = new Option<string?>("--filter") { Description = "MLflow filter, e.g. \"metrics.auc > 0.8 and params.model = 'gbm'\"" };
        var orderBy = new Option<string[]>("--order-by") { Description = "Order clause, e.g. \"metrics.auc DESC\" (repeatable)" };
        var top = new Option<int>("--top") { Description = "At most this many runs", DefaultValueFactory = _ => 100 };
        top.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() <= 0)
            {
                r.AddError("--top must be a positive number");
            }
        });
        var list = new Command("list", "List tracking runs of an experiment")
            .With(experiment, filter, orderBy, top)
            .WithAction(async ctx =>
            {
                var name = ctx.Get(experiment)!;
                var found = await ctx.Mlflow.GetExperimentByNameAsync(name, ctx.CancellationToken)
                    ?? throw new CliException($"--experiment: no experiment named '{name}' (smlops experiments list shows them)");
                var limit = ctx.Get(top);
                var runs = new List<Run>();
                string? token = null;
                do
                {
                    var page = await ctx.Mlflow.SearchRunsAsync(
                        [found.ExperimentId], ctx.Get(filter), Math.Min(1000, limit - runs.Count), ctx.Get(orderBy), token, ct: ctx.CancellationToken);
                    runs.AddRange(page.Items);
                    token = page.NextPageToken;
                }
                while (token is not null && runs.Count < limit);

                if (ctx.Output.IsJson)
                {
                    ctx.Output.Json(new { runs = runs.Select(Flatten).ToList() });
                    return ExitCodes.Success;
                }

                var metricKeys = runs.SelectMany(r => r.Data?.Metrics ?? []).Select(m => m.Key).Distinct().Order(StringComparer.Ordinal).Take(MaxMetricColumns).ToList();
                var table = Tables.Create(["RUN ID", "NAME", "STATUS", "STARTED", .. metricKeys, "PARAMS"]);
                foreach (var run in runs)
                {
                    var metrics = (run.Data?.Metrics ?? []).GroupBy(m => m.Key).ToDictionary(g => g.Key, g => g.Last().Value);
                    var cells = new List<string?> { run.Info.RunId, run.Info.RunName, run.Info.Status, Formats.EpochMilliseconds(run.Info.StartTime) };
                    cells.AddRange(metricKeys.Select(k => metrics.TryGetValue(k, out var v) ? Formats.Number(v) : string.Empty));
                    cells.Add(string.Join(", ", (run.Data?.Params ?? []).Select(p => $"{p.Key}={p.Value}")));
                    table.Row([.. cells]);
                }

                ctx.Output.Write(table);
                return ExitCodes.Success;
            });
        return new Command("runs", "MLflow tracking runs").With(list);
    }

    /// <summary>The JSON shape of one run: metrics, params and tags as maps, so scripts can index them.</summary>
    internal static object Flatten(Run run) => new
    {
        runId = run.Info.RunId,
        runName = run.Info.RunName,
        experimentId = run.Info.ExperimentId,
        status = run.Info.Status,
        startTime = run.Info.StartTime,
        endTime = run.Info.EndTime,
        artifactUri = run.Info.ArtifactUri,
        metrics = (run.Data?.Metrics ?? []).GroupBy(m => m.Key).ToDictionary(g => g.Key, g => g.Last().Value),
        @params = (run.Data?.Params ?? []).GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value),
        tags = (run.Data?.Tags ?? []).GroupBy(t => t.Key).ToDictionary(g => g.Key, g => g.Last().Value),
    };
}
