using Serverless.Pipelines.Planning;

namespace Serverless.Pipelines.Orchestration;

/// <summary>The output of a finished pipeline run.</summary>
public sealed record PipelineRunOutput
{
    /// <summary>How the run ended.</summary>
    public required RunOutcome Outcome { get; init; }

    /// <summary>Why it did not succeed, or null.</summary>
    public string? Reason { get; init; }

    /// <summary>Every recorded step result by step key, with outputs: what a re-run of failed steps reuses.</summary>
    public IReadOnlyDictionary<string, StepResult> Results { get; init; } = new Dictionary<string, StepResult>();
}
