using Serverless.Pipelines.Definition;
using Serverless.Pipelines.Execution;
using Serverless.Pipelines.Planning;

namespace Serverless.Pipelines.Attempts;

/// <summary>
/// One attempt of one step, in a form that travels as an orchestration input: everything a compute target
/// (a local process, an Azure Batch task, a sweep trial) needs, with expressions already resolved. The step's
/// full definition is not carried: executors that need it load it from the published package version.
/// </summary>
public sealed record StepAttemptInput
{
    /// <summary>The pipeline run (the id of its orchestration instance).</summary>
    public required string RunId { get; init; }

    /// <summary>The published pipeline name.</summary>
    public required string Pipeline { get; init; }

    /// <summary>The published, content-addressed package version the run uses.</summary>
    public required string PackageVersion { get; init; }

    /// <summary>The step and, inside a parallel-for, its iteration: <c>train</c> or <c>train[2]</c>.</summary>
    public required string StepKey { get; init; }

    /// <summary>The attempt number, from 1.</summary>
    public int Attempt { get; init; } = 1;

    /// <summary>The command with every expression substituted.</summary>
    public required string Command { get; init; }

    /// <summary>The step's environment with every expression substituted.</summary>
    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();

    /// <summary>Inputs with the artifacts and values they resolved to.</summary>
    public IReadOnlyList<ResolvedInput> Inputs { get; init; } = [];

    /// <summary>The declared outputs, so the executor knows what to collect.</summary>
    public IReadOnlyList<StepAttemptOutput> Outputs { get; init; } = [];

    /// <summary>The parallel-for item, when the step iterates.</summary>
    public PipelineValue? Item { get; init; }

    /// <summary>Where and on what the attempt runs.</summary>
    public ComputeSpec Compute { get; init; } = ComputeSpec.Local;

    /// <summary>The runtime or container image.</summary>
    public EnvironmentSpec Environment { get; init; } = new();

    /// <summary>The step's timeout, or null for none.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>The tracking run the step logs to, or null.</summary>
    public TrackingContext? Tracking { get; init; }

    /// <summary>Blob prefix (in the artifacts container) for this attempt's outputs and logs.</summary>
    public required string BlobPrefix { get; init; }

    /// <summary>The parsed step key.</summary>
    public StepKey Key => Planning.StepKey.Parse(StepKey);

    /// <summary>Builds the input for an attempt of a step the planner made ready.</summary>
    public static StepAttemptInput From(ReadyStep step, int attempt, string runId, string pipeline, string packageVersion, TrackingContext? tracking)
    {
        ArgumentNullException.ThrowIfNull(step);
        var key = step.Key.ToString();
        return new StepAttemptInput
        {
            RunId = runId,
            Pipeline = pipeline,
            PackageVersion = packageVersion,
            StepKey = key,
            Attempt = attempt,
            Command = step.Command,
            Env = step.Env,
            Inputs = step.Inputs,
            Outputs = step.Definition.Outputs.Select(o => new StepAttemptOutput(o.Name, o.Kind, o.ValueType)).ToList(),
            Item = step.Item,
            Compute = step.Definition.Compute,
            Environment = step.Environment,
            Timeout = step.Definition.Timeout,
            Tracking = tracking,
            BlobPrefix = $"{runId}/{step.Key.Step}{(step.Key.Iteration is { } i ? $"/{i}" : string.Empty)}/attempt-{attempt}",
        };
    }

    /// <summary>A result of this attempt that ended without running to completion (no outputs).</summary>
    public StepExecutionResult Unsuccessful(FailureKind kind, string reason) => new()
    {
        Key = Key,
        Attempt = Attempt,
        Succeeded = false,
        FailureKind = kind,
        FailureReason = reason,
    };

    /// <summary>Rebuilds the planner's view of the step from the definition in the package.</summary>
    /// <exception cref="InvalidOperationException">The definition has no such step.</exception>
    public ReadyStep ToReadyStep(PipelineDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var key = Key;
        var step = definition.FindStep(key.Step)
            ?? throw new InvalidOperationException($"pipeline '{Pipeline}' version {PackageVersion} has no step '{key.Step}'");
        return new ReadyStep
        {
            Key = key,
            Definition = step,
            Command = Command,
            Env = Env,
            Inputs = Inputs,
            Item = Item,
            Environment = Environment,
        };
    }
}
