using System.Text.Json.Nodes;

namespace Serverless.Cli.Runs;

/// <summary>One step (or one foreach item, key <c>train[2]</c>) of a run.</summary>
internal sealed record StepView
{
    /// <summary>Step key.</summary>
    public string Key { get; init; } = string.Empty;

    /// <summary>Pending, Running, Succeeded, Failed, Skipped, Cached or Cancelled.</summary>
    public string Status { get; init; } = "Pending";

    /// <summary>The current or last attempt (1-based), 0 before the first.</summary>
    public int? Attempt { get; init; }

    /// <summary>When the current attempt started.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>Seconds taken (so far, while running, if the server says).</summary>
    public double? Duration { get; init; }

    /// <summary>Why the step failed, was skipped or cancelled.</summary>
    public string? Reason { get; init; }

    /// <summary>The MLflow child run.</summary>
    public string? TrackingRunId { get; init; }

    /// <summary>local or batch.</summary>
    public string? Compute { get; init; }

    /// <summary>Output values or URIs.</summary>
    public JsonObject? Outputs { get; init; }
}
