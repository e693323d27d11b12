using Serverless.Pipelines.Definition;
using Serverless.Pipelines.Expressions;
using Serverless.Pipelines.Parsing;

namespace Serverless.Pipelines.Planning;

/// <summary>
/// Decides, from a run's recorded results, which steps and iterations start next and whether the run is
/// finished. A pure function of (definition, parameters, state): no I/O, no clock, no randomness, so a
/// durable orchestrator can call it again on replay and get the same answer.
/// </summary>
/// <remarks>
/// Rules: a step waits for every dependency (<c>needs</c> and referenced steps); a failed dependency blocks
/// it, a skipped one skips it; a false <c>when</c> skips it; a parallel-for step starts at most
/// <c>concurrency</c> iterations at once and succeeds when all of them have. A failure does not stop
/// independent branches. Once cancellation is requested nothing new starts. Failures while resolving a step
/// (a condition that does not evaluate, a missing output) fail that step without running it.
/// </remarks>
public sealed class PipelinePlanner
{
    private readonly PipelineDefinition _pipeline;
    private readonly IReadOnlyDictionary<string, PipelineValue> _parameters;
    private readonly IReadOnlyList<StepDefinition> _order;
    private readonly Dictionary<string, IReadOnlyList<string>> _dependencies;

    /// <summary>Creates a planner for a validated pipeline and its resolved parameters.</summary>
    /// <param name="pipeline">A valid definition.</param>
    /// <param name="parameters">All parameter values, e.g. from <see cref="ParameterResolver.Resolve"/>.</param>
    /// <exception cref="PipelineValidationException">The definition is invalid.</exception>
    public PipelinePlanner(PipelineDefinition pipeline, IReadOnlyDictionary<string, PipelineValue> parameters)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(parameters);
        var problems = PipelineValidator.Validate(pipeline);
        if (problems.Count > 0)
        {
            throw new PipelineValidationException(problems);
        }

        _pipeline = pipeline;
        _parameters = parameters;
        _dependencies = pipeline.Steps.ToDictionary(s => s.Name, StepReferences.DependenciesOf, StringComparer.Ordinal);
        _order = TopologicalOrder(pipeline, _dependencies);
    }

    /// <summary>Plans the next moves for <paramref name="state"/>.</summary>
    public PipelinePlan Plan(RunState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var aggregate = new Dictionary<string, (StepStatus Status, string? Reason)>(StringComparer.Ordinal);
        var states = new Dictionary<string, List<PlannedStepState>>(StringComparer.Ordinal);
        var ready = new List<ReadyStep>();

        foreach (var step in _order)
        {
            var own = new List<PlannedStepState>();
            var (status, reason) = PlanStep(step, state, aggregate, own, ready);
            aggregate[step.Name] = (status, reason);
            own.Insert(0, new PlannedStepState(new StepKey(step.Name), status, reason));
            states[step.Name] = own;
        }

        var flat = _pipeline.Steps.SelectMany(s => states[s.Name]).ToList();
        var orderedReady = ready.OrderBy(r => IndexOf(r.Key.Step)).ThenBy(r => r.Key.Iteration ?? -1).ToList();
        var outcome = RunOutcome.None;
        var terminal = aggregate.Values.All(a => a.Status is StepStatus.Succeeded or StepStatus.Cached or StepStatus.Skipped
            or StepStatus.Failed or StepStatus.Blocked or StepStatus.Cancelled);
        if (terminal && state.Running.Count == 0)
        {
            outcome = aggregate.Values.Any(a => a.Status is StepStatus.Failed or StepStatus.Blocked) ? RunOutcome.Failed
                : aggregate.Values.Any(a => a.Status == StepStatus.Cancelled) ? RunOutcome.Cancelled
                : RunOutcome.Succeeded;
        }

        return new PipelinePlan { Ready = orderedReady, States = flat, Outcome = outcome };
    }

    private (StepStatus, string?) PlanStep(
        StepDefinition step,
        RunState state,
        Dictionary<string, (StepStatus Status, string? Reason)> done,
        List<PlannedStepState> iterations,
        List<ReadyStep> ready)
    {
        var key = new StepKey(step.Name);
        foreach (var dep in _dependencies[step.Name])
        {
            var (depStatus, _) = done[dep];
            if (depStatus is StepStatus.Failed or StepStatus.Blocked)
            {
                return (StepStatus.Blocked, $"dependency '{dep}' {(depStatus == StepStatus.Failed ? "failed" : "was not run")}");
            }
        }

        if (_dependencies[step.Name].Any(d => done[d].Status is StepStatus.Waiting or StepStatus.Ready or StepStatus.Running))
        {
            return state.CancelRequested ? (StepStatus.Cancelled, "the run was cancelled") : (StepStatus.Waiting, null);
        }

        if (_dependencies[step.Name].FirstOrDefault(d => done[d].Status == StepStatus.Cancelled) is { } cancelledDep)
        {
            return (StepStatus.Cancelled, $"dependency '{cancelledDep}' was cancelled");
        }

        if (_dependencies[step.Name].FirstOrDefault(d => done[d].Status == StepStatus.Skipped) is { } skippedDep)
        {
            return (StepStatus.Skipped, $"dependency '{skippedDep}' was skipped");
        }

        if (step.ForEach is null && state.Results.TryGetValue(key, out var recorded))
        {
            return (recorded.Status, recorded.Reason);
        }

        if (step.ForEach is null && state.Running.Contains(key))
        {
            return (StepStatus.Running, null);
        }

        try
        {
            if (step.When is { } when && !ExpressionEvaluator.EvaluateCondition(Template.ParseCondition(when), r => Resolve(r, step, null, state)))
            {
                return (StepStatus.Skipped, $"condition '{when.Trim()}' is false");
            }

            if (step.ForEach is { } forEach)
            {
                return PlanIterations(step, forEach, state, iterations, ready);
            }

            if (state.CancelRequested)
            {
                return (StepStatus.Cancelled, "the run was cancelled");
            }

            ready.Add(Prepare(step, key, null, state));
            return (StepStatus.Ready, null);
        }
        catch (ExpressionException ex)
        {
            return (StepStatus.Failed, ex.Message);
        }
    }

    private (StepStatus, string?) PlanIterations(
        StepDefinition step, ForEachSpec forEach, RunState state, List<PlannedStepState> iterations, List<ReadyStep> ready)
    {
        var items = forEach.Items ?? EvaluateItems(step, forEach.ItemsExpression!, state);
        var running = 0;
        var pending = new List<int>();
        for (var i = 0; i < items.Count; i++)
        {
            var key = new StepKey(step.Name, i);
            if (state.Results.TryGetValue(key, out var result))
            {
                iterations.Add(new PlannedStepState(key, result.Status, result.Reason));
            }
            else if (state.Running.Contains(key))
            {
                running++;
                iterations.Add(new PlannedStepState(key, StepStatus.Running));
            }
            else
            {
                pending.Add(i);
            }
        }

        var limit = forEach.Concurrency == 0 ? int.MaxValue : forEach.Concurrency;
        foreach (var i in pending)
        {
            var key = new StepKey(step.Name, i);
            if (state.CancelRequested)
            {
                iterations.Add(new PlannedStepState(key, StepStatus.Cancelled, "the run was cancelled"));
            }
            else if (running < limit)
            {
                running++;
                ready.Add(Prepare(step, key, items[i], state));
                iterations.Add(new PlannedStepState(key, StepStatus.Ready));
            }
            else
            {
                iterations.Add(new PlannedStepState(key, StepStatus.Waiting));
            }
        }

        iterations.Sort((a, b) => a.Key.Iteration!.Value.CompareTo(b.Key.Iteration!.Value));
        var statuses = iterations.Select(s => s.Status).ToList();
        if (statuses.Any(s => s is StepStatus.Waiting or StepStatus.Ready or StepStatus.Running))
        {
            return (statuses.Any(s => s is StepStatus.Ready or StepStatus.Running) ? StepStatus.Running : StepStatus.Waiting, null);
        }

        if (iterations.FirstOrDefault(s => s.Status == StepStatus.Failed) is { } failed)
        {
            return (StepStatus.Failed, $"iteration {failed.Key.Iteration} failed: {failed.Reason}");
        }

        if (statuses.Any(s => s == StepStatus.Cancelled))
        {
            return (StepStatus.Cancelled, "the run was cancelled");
        }

        return (StepStatus.Succeeded, null);
    }

    private IReadOnlyList<PipelineValue> EvaluateItems(StepDefinition step, string expression, RunState state)
    {
        var value = ExpressionEvaluator.Evaluate(Template.ParseCondition(expression), r => Resolve(r, step, null, state));
        return value.Type == PipelineType.List
            ? value.AsList()
            : throw new ExpressionException($"foreach items must be a list, but got {value.ToJson()}", 0);
    }

    private ReadyStep Prepare(StepDefinition step, StepKey key, PipelineValue? item, RunState state)
    {
        PipelineValue Resolver(ReferenceExpression r) => Resolve(r, step, item, state);
        var inputs = step.Inputs.Select(i => ResolveInput(step, i, item, state)).ToList();
        PipelineValue CommandResolver(ReferenceExpression r) => r.Path switch
        {
            ["inputs", var name] => inputs.First(i => i.Name == name) is { Kind: OutputKind.Value, Value: { } v }
                ? v
                : PipelineValue.FromString("inputs/" + name),
            ["outputs", var name] => PipelineValue.FromString("outputs/" + name),
            _ => Resolver(r),
        };

        return new ReadyStep
        {
            Key = key,
            Definition = step,
            Command = Template.Parse(step.Command).Render(CommandResolver),
            Env = step.Env.OrderBy(e => e.Key, StringComparer.Ordinal)
                .ToDictionary(e => e.Key, e => Template.Parse(e.Value).Render(CommandResolver), StringComparer.Ordinal),
            Inputs = inputs,
            Item = item,
            Environment = _pipeline.Environment,
        };
    }

    private ResolvedInput ResolveInput(StepDefinition step, StepInput input, PipelineValue? item, RunState state)
    {
        switch (input.Source)
        {
            case InputSource.StepOutput:
                var reference = (ReferenceExpression)Template.Parse(input.Template.Trim()).Expressions.Single();
                var source = _pipeline.FindStep(reference.Path[1])!;
                var output = source.Outputs.First(o => o.Name == reference.Path[3]);
                if (output.Kind == OutputKind.Value)
                {
                    return new ResolvedInput { Name = input.Name, Kind = OutputKind.Value, Value = Coerce(Resolve(reference, step, item, state), input) };
                }

                var artifacts = ResultsOf(source, state)
                    .Select(r => r.Artifacts.TryGetValue(output.Name, out var a)
                        ? a
                        : throw new ExpressionException($"step '{source.Name}' recorded no artifact '{output.Name}'", 0))
                    .ToList();
                return new ResolvedInput { Name = input.Name, Kind = OutputKind.Artifact, Artifacts = artifacts, Collected = source.ForEach is not null };
            case InputSource.Uri:
                var uri = Template.Parse(input.Template).Render(r => Resolve(r, step, item, state));
                return new ResolvedInput { Name = input.Name, Kind = OutputKind.Artifact, Artifacts = [new ArtifactRef(NormalizeUri(uri))] };
            default:
                var value = Template.Parse(input.Template).Evaluate(r => Resolve(r, step, item, state));
                return new ResolvedInput { Name = input.Name, Kind = OutputKind.Value, Value = Coerce(value, input) };
        }
    }

    private static PipelineValue Coerce(PipelineValue value, StepInput input)
    {
        if (input.ValueType is not { } type)
        {
            return value;
        }

        return value.CoerceTo(type)
            ?? (value.Type == PipelineType.String ? PipelineValue.Parse(value.AsString(), type) : null)
            ?? (type == PipelineType.String ? PipelineValue.FromString(value.ToString()) : null)
            ?? throw new ExpressionException($"input '{input.Name}' must be {type.ToString().ToLowerInvariant()}, but is {value.ToJson()}", 0);
    }

    /// <summary>Plain relative paths name files in the pipeline package.</summary>
    // A bare path is relative to the package root: "./" and "/" prefixes go, but a leading dot that is part of
    // a name (".build/x") stays, and "../x" is kept for the executor to refuse as outside the package.
    private static string NormalizeUri(string uri)
    {
        if (uri.StartsWith("package:", StringComparison.Ordinal) || uri.StartsWith("file:", StringComparison.Ordinal)
            || uri.StartsWith("blob:", StringComparison.Ordinal))
        {
            return uri;
        }

        var path = uri.AsSpan();
        while (true)
        {
            if (path.StartsWith("./", StringComparison.Ordinal))
            {
                path = path[2..];
            }
            else if (path.StartsWith("/", StringComparison.Ordinal))
            {
                path = path[1..];
            }
            else
            {
                return "package:" + path.ToString();
            }
        }
    }

    private PipelineValue Resolve(ReferenceExpression r, StepDefinition step, PipelineValue? item, RunState state)
    {
        switch (r.Path)
        {
            case ["params", var p]:
                return _parameters.TryGetValue(p, out var v) ? v : throw new ExpressionException($"parameter '{p}' has no value", r.Offset);
            case ["item"]:
                return item ?? throw new ExpressionException("'item' is only available in a parallel-for iteration", r.Offset);
            case ["steps", var s, "outputs", var o]:
                var source = _pipeline.FindStep(s)!;
                var values = ResultsOf(source, state)
                    .Select(res => res.Values.TryGetValue(o, out var value)
                        ? value
                        : throw new ExpressionException($"step '{s}' recorded no value for output '{o}'", r.Offset))
                    .ToList();
                return source.ForEach is not null ? PipelineValue.FromList(values) : values[0];
            default:
                throw new ExpressionException($"'{r.Text}' cannot be used here (in step '{step.Name}')", r.Offset);
        }
    }

    /// <summary>The results a downstream step reads: one for a plain step, every iteration's for a parallel-for.</summary>
    private static IEnumerable<StepResult> ResultsOf(StepDefinition source, RunState state)
    {
        if (source.ForEach is null)
        {
            return state.Results.TryGetValue(new StepKey(source.Name), out var r)
                ? [r]
                : throw new ExpressionException($"step '{source.Name}' has no recorded result", 0);
        }

        return state.Results.Where(kv => kv.Key.Step == source.Name && kv.Key.Iteration is not null)
            .OrderBy(kv => kv.Key.Iteration)
            .Select(kv => kv.Value);
    }

    private int IndexOf(string step)
    {
        for (var i = 0; i < _pipeline.Steps.Count; i++)
        {
            if (_pipeline.Steps[i].Name == step)
            {
                return i;
            }
        }

        return int.MaxValue;
    }

    private static List<StepDefinition> TopologicalOrder(PipelineDefinition pipeline, Dictionary<string, IReadOnlyList<string>> deps)
    {
        var order = new List<StepDefinition>();
        var placed = new HashSet<string>(StringComparer.Ordinal);
        while (order.Count < pipeline.Steps.Count)
        {
            // Definition order breaks ties, so the plan is the same on every call.
            var next = pipeline.Steps.First(s => !placed.Contains(s.Name) && deps[s.Name].All(placed.Contains));
            order.Add(next);
            placed.Add(next.Name);
        }

        return order;
    }
}
