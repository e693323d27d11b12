using Serverless.Pipelines.Execution;
using Serverless.Pipelines.Packaging;
using Serverless.Pipelines.Planning;

namespace Serverless.Pipelines.Running;

/// <summary>The outcome of a run by <see cref="LocalPipelineRunner"/>.</summary>
public sealed record LocalRunResult
{
    /// <summary>The run's id.</summary>
    public required string RunId { get; init; }

    /// <summary>How the run ended.</summary>
    public required RunOutcome Outcome { get; init; }

    /// <summary>The package version the run used.</summary>
    public required PackageManifest Package { get; init; }

    /// <summary>The final plan: every step's status and reason.</summary>
    public required PipelinePlan FinalPlan { get; init; }

    /// <summary>The recorded results.</summary>
    public required RunState State { get; init; }

    /// <summary>Every attempt that ran, in completion order.</summary>
    public required IReadOnlyList<StepExecutionResult> Attempts { get; init; }

    /// <summary>Steps whose outputs came from the cache.</summary>
    public required IReadOnlyList<StepKey> CacheHits { get; init; }

    /// <summary>Wall time of the run (after publishing and fetching the package).</summary>
    public required TimeSpan Duration { get; init; }
}
