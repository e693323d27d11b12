namespace Serverless.Pipelines.Planning;

/// <summary>What has happened in a run so far: the planner's only input besides the definition and parameters.</summary>
public sealed record RunState
{
    /// <summary>An empty run.</summary>
    public static RunState Empty { get; } = new();

    /// <summary>Recorded results by step/iteration.</summary>
    public IReadOnlyDictionary<StepKey, StepResult> Results { get; init; } = new Dictionary<StepKey, StepResult>();

    /// <summary>Steps/iterations started and not yet finished (including those waiting for a retry).</summary>
    public IReadOnlySet<StepKey> Running { get; init; } = new HashSet<StepKey>();

    /// <summary>True once cancellation of the run was requested: nothing new starts.</summary>
    public bool CancelRequested { get; init; }

    /// <summary>A copy with <paramref name="key"/> marked running.</summary>
    public RunState WithRunning(StepKey key) => this with { Running = new HashSet<StepKey>(Running) { key } };

    /// <summary>A copy with <paramref name="key"/>'s result recorded (and no longer running).</summary>
    public RunState WithResult(StepKey key, StepResult result)
    {
        var running = new HashSet<StepKey>(Running);
        running.Remove(key);
        return this with { Results = new Dictionary<StepKey, StepResult>(Results) { [key] = result }, Running = running };
    }
}
