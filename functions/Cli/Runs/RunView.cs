using System.Text.Json;
using System.Text.Json.Nodes;
using Serverless.Cli.Infrastructure;
using Serverless.Cli.Output;

namespace Serverless.Cli.Runs;

/// <summary>A pipeline run as <c>GET /api/runs/{id}</c> returns it (the summary fields plus steps).</summary>
internal sealed record RunView
{
    private readonly List<StepView> _steps = [];

    /// <summary>Run id.</summary>
    public string Id { get; init; } = string.Empty;

    /// <summary>Pipeline name.</summary>
    public string? Pipeline { get; init; }

    /// <summary>Published version.</summary>
    public string? Version { get; init; }

    /// <summary>Pending, Running, Succeeded, Failed or Cancelled.</summary>
    public string Status { get; init; } = "Pending";

    /// <summary>When the run was created.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>When the run last changed.</summary>
    public DateTimeOffset? LastUpdatedAt { get; init; }

    /// <summary>The MLflow parent run.</summary>
    public string? TrackingRunId { get; init; }

    /// <summary>The MLflow experiment.</summary>
    public string? ExperimentId { get; init; }

    /// <summary>Why the run failed or was cancelled.</summary>
    public string? Reason { get; init; }

    /// <summary>The resolved parameters.</summary>
    public JsonObject? Parameters { get; init; }

    /// <summary>Per-step state, in the server's order; empty (never null) while the run is being planned or in listings.</summary>
    public List<StepView> Steps
    {
        get => _steps;
        init => _steps = value ?? [];
    }

    /// <summary>True once the run can change no more.</summary>
    public bool IsFinished => RunStatuses.IsTerminal(Status);

    /// <summary>Reads a run document.</summary>
    /// <exception cref="CliException">The document is not a run.</exception>
    public static RunView From(JsonNode node)
    {
        try
        {
            var run = node.Deserialize<RunView>(CliOutput.JsonOptions);
            if (run is null || string.IsNullOrEmpty(run.Id))
            {
                throw new CliException("the server answered with a run that has no 'id'");
            }

            return run;
        }
        catch (JsonException e)
        {
            throw new CliException($"the server answered with a run this CLI cannot read: {e.Message}");
        }
    }
}
