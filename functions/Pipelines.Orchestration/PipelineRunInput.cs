using Serverless.Pipelines.Definition;
using Serverless.Pipelines.Planning;

namespace Serverless.Pipelines.Orchestration;

/// <summary>The input of the <see cref="PipelineRunNames.RunOrchestration"/> orchestration: one run of a published pipeline version.</summary>
public sealed record PipelineRunInput
{
    /// <summary>The run's id; also the orchestration instance id.</summary>
    public required string RunId { get; init; }

    /// <summary>The published pipeline name.</summary>
    public required string Pipeline { get; init; }

    /// <summary>The content-addressed package version.</summary>
    public required string Version { get; init; }

    /// <summary>Every parameter, already resolved against the definition (defaults filled, types checked).</summary>
    public IReadOnlyDictionary<string, PipelineValue> Parameters { get; init; } = new Dictionary<string, PipelineValue>();

    /// <summary>The tracking experiment; defaults to the pipeline name.</summary>
    public string? ExperimentName { get; init; }

    /// <summary>Whether steps may reuse an identical earlier execution's outputs (each step's own <c>cache</c> setting still applies).</summary>
    public bool Cache { get; init; } = true;

    /// <summary>For a re-run of failed steps: results of an earlier run to reuse, by step key (<c>prep</c>, <c>train[2]</c>).</summary>
    public IReadOnlyDictionary<string, StepResult> Reuse { get; init; } = new Dictionary<string, StepResult>();

    /// <summary>The run whose results are reused, for the record.</summary>
    public string? RerunOf { get; init; }

    /// <summary>
    /// The run orchestration's call sequence this run started with (<see cref="CurrentRevision"/> for new runs).
    /// Replay keeps a run on its own sequence, so runs in flight across an upgrade finish instead of failing
    /// with a non-determinism error; inputs written before revisions existed read as 0.
    /// </summary>
    public int Revision { get; init; }

    /// <summary>
    /// The newest call sequence. 1: a local step's first attempt begins and runs in one activity
    /// (<c>Pipelines.Run.BeginLocalStep</c>); 0: <c>BeginStep</c> then <c>LocalStep</c>.
    /// </summary>
    public const int CurrentRevision = 1;
}
