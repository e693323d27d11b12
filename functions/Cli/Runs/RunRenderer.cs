using System.Globalization;
using Serverless.Cli.Output;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Serverless.Cli.Runs;

/// <summary>Turns a run document into tables and progress lines. Pure: the clock is a parameter.</summary>
internal static class RunRenderer
{
    /// <summary>The step table's columns.</summary>
    public static readonly string[] StepColumns = ["STEP", "STATUS", "ATTEMPT", "DURATION", "COMPUTE", "REASON"];

    /// <summary>One row per step: key, status, attempt, duration, compute, reason.</summary>
    public static IReadOnlyList<string[]> StepRows(RunView run, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(run);
        return run.Steps.Select(s => new[]
        {
            s.Key,
            s.Status,
            s.Attempt is > 0 ? s.Attempt.Value.ToString(CultureInfo.InvariantCulture) : string.Empty,
            Formats.Duration(StepSeconds(s, now)),
            s.Compute ?? string.Empty,
            s.Reason ?? string.Empty,
        }).ToList();
    }

    /// <summary>The step table.</summary>
    public static Table StepsTable(RunView run, DateTimeOffset now)
    {
        var table = Tables.Create(StepColumns);
        foreach (var row in StepRows(run, now))
        {
            table.Row(row);
        }

        return table;
    }

    /// <summary>The run's header lines.</summary>
    public static Grid Header(RunView run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var rows = new List<(string, string?)>
        {
            ("Run", run.Id),
            ("Pipeline", run.Version is null ? run.Pipeline : $"{run.Pipeline} (version {run.Version})"),
            ("Status", run.Status),
            ("Created", Formats.Time(run.CreatedAt)),
            ("Updated", Formats.Time(run.LastUpdatedAt)),
        };
        if (run.Reason is { Length: > 0 } reason)
        {
            rows.Add(("Reason", reason));
        }

        if (run.TrackingRunId is not null)
        {
            rows.Add(("Tracking run", run.ExperimentId is null ? run.TrackingRunId : $"{run.TrackingRunId} (experiment {run.ExperimentId})"));
        }

        if (run.Parameters is { Count: > 0 } parameters)
        {
            rows.Add(("Parameters", string.Join(", ", parameters.Select(p => $"{p.Key}={p.Value?.ToJsonString()}"))));
        }

        return Tables.Properties(rows);
    }

    /// <summary>Header and step table together, as <c>run show</c> prints them.</summary>
    public static IRenderable Details(RunView run, DateTimeOffset now) =>
        new Rows(Header(run), StepsTable(run, now));

    /// <summary>
    /// The lines a non-terminal follower prints when a step's status or attempt or the run's status changed
    /// since <paramref name="previous"/> (null: everything is new).
    /// </summary>
    public static IReadOnlyList<string> Transitions(RunView? previous, RunView current, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(current);
        var lines = new List<string>();
        var stamp = now.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        foreach (var step in current.Steps)
        {
            var before = previous?.Steps.FirstOrDefault(s => s.Key == step.Key);
            if (before is not null && before.Status == step.Status && before.Attempt == step.Attempt)
            {
                continue;
            }

            if (before is null && step.Status == "Pending")
            {
                continue;
            }

            var line = $"{stamp} {step.Key} {step.Status}";
            if (step.Attempt is > 1)
            {
                line += $" (attempt {step.Attempt})";
            }

            if (RunStatuses.IsStepFinished(step.Status) && StepSeconds(step, now) is { } seconds)
            {
                line += $" in {Formats.Duration(seconds)}";
            }

            if (step.Reason is { Length: > 0 } reason && step.Status is not "Succeeded" and not "Running")
            {
                line += $": {reason}";
            }

            lines.Add(line);
        }

        if (previous?.Status != current.Status)
        {
            var line = $"{stamp} run {current.Id} {current.Status}";
            if (current.IsFinished && current.Reason is { Length: > 0 } reason)
            {
                line += $": {reason}";
            }

            lines.Add(line);
        }

        return lines;
    }

    private static double? StepSeconds(StepView step, DateTimeOffset now)
    {
        if (step.Duration is { } d)
        {
            return d;
        }

        return step.Status == "Running" && step.StartedAt is { } started ? Math.Max(0, (now - started).TotalSeconds) : null;
    }
}
