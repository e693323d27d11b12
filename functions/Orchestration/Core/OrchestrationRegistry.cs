namespace Serverless.Orchestration;

/// <summary>An orchestrator: replayable code that returns its output as JSON text.</summary>
public delegate Task<string?> OrchestratorFunc(OrchestrationContext context);

/// <summary>An activity: at-least-once work that returns its result as JSON text.</summary>
public delegate Task<string?> ActivityFunc(ActivityContext context);

/// <summary>The orchestrators and activities a host can run, by case-insensitive name.</summary>
public sealed class OrchestrationRegistry
{
    private readonly Dictionary<string, OrchestratorFunc> _orchestrators = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, ActivityFunc> _activities = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Registers an orchestrator taking <typeparamref name="TInput"/> and returning <typeparamref name="TOutput"/>.</summary>
    public OrchestrationRegistry AddOrchestrator<TInput, TOutput>(string name, Func<OrchestrationContext, TInput?, Task<TOutput>> orchestrator)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(orchestrator);
        _orchestrators.Add(name, async context => DataConverter.Serialize(await orchestrator(context, context.GetInput<TInput>())));
        return this;
    }

    /// <summary>Registers an activity taking <typeparamref name="TInput"/> and returning <typeparamref name="TOutput"/>.</summary>
    public OrchestrationRegistry AddActivity<TInput, TOutput>(string name, Func<ActivityContext, TInput?, Task<TOutput>> activity)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(activity);
        _activities.Add(name, async context => DataConverter.Serialize(await activity(context, context.GetInput<TInput>())));
        return this;
    }

    /// <summary>Registers an activity with a synchronous body.</summary>
    public OrchestrationRegistry AddActivity<TInput, TOutput>(string name, Func<TInput?, TOutput> activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        return AddActivity<TInput, TOutput>(name, (_, input) => Task.FromResult(activity(input)));
    }

    /// <summary>Registers an orchestrator working on raw JSON text.</summary>
    public OrchestrationRegistry AddOrchestrator(string name, OrchestratorFunc orchestrator)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _orchestrators.Add(name, orchestrator);
        return this;
    }

    /// <summary>Registers an activity working on raw JSON text.</summary>
    public OrchestrationRegistry AddActivity(string name, ActivityFunc activity)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _activities.Add(name, activity);
        return this;
    }

    /// <summary>Finds an orchestrator by name.</summary>
    public bool TryGetOrchestrator(string name, out OrchestratorFunc orchestrator) =>
        _orchestrators.TryGetValue(name, out orchestrator!);

    /// <summary>Finds an activity by name.</summary>
    public bool TryGetActivity(string name, out ActivityFunc activity) =>
        _activities.TryGetValue(name, out activity!);

    /// <summary>Registered orchestrator names.</summary>
    public IEnumerable<string> OrchestratorNames => _orchestrators.Keys;
}
