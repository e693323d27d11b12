using System.Text.RegularExpressions;
using Serverless.Pipelines.Definition;
using Serverless.Pipelines.Expressions;

namespace Serverless.Pipelines.Parsing;

/// <summary>
/// Semantic checks on a definition, whether it came from YAML or from <see cref="Building.PipelineBuilder"/>:
/// names, references, expression syntax and types, dependency cycles, and value ranges.
/// </summary>
public static partial class PipelineValidator
{
    /// <summary>Returns every problem in <paramref name="pipeline"/>; empty when it is valid.</summary>
    public static IReadOnlyList<PipelineDiagnostic> Validate(PipelineDefinition pipeline)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        var errors = new List<PipelineDiagnostic>();
        void Error(SourceMark mark, string message) => errors.Add(new(mark, message));

        var paramNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in pipeline.Parameters)
        {
            if (!IdentifierRegex().IsMatch(p.Name))
            {
                Error(p.Mark, $"parameter name '{p.Name}' must be letters, digits and underscores, starting with a letter or underscore");
            }

            if (!paramNames.Add(p.Name))
            {
                Error(p.Mark, $"duplicate parameter '{p.Name}'");
            }

            if (p.Default is { } d && !d.Fits(p.Type))
            {
                Error(p.Mark, $"the default of parameter '{p.Name}' is {ScalarReader.Article(d.Type)}, but the parameter is declared {p.Type.ToString().ToLowerInvariant()}");
            }
        }

        var stepNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var step in pipeline.Steps)
        {
            if (!StepNameRegex().IsMatch(step.Name))
            {
                Error(step.Mark, $"step name '{step.Name}' must be letters, digits, '_' and '-', starting with a letter or underscore");
            }

            if (!stepNames.Add(step.Name))
            {
                Error(step.Mark, $"duplicate step '{step.Name}'");
            }
        }

        foreach (var step in pipeline.Steps)
        {
            ValidateStep(pipeline, step, Error);
        }

        ValidateAcyclic(pipeline, Error);
        return errors;
    }

    private static void ValidateStep(PipelineDefinition pipeline, StepDefinition step, Action<SourceMark, string> error)
    {
        var name = $"step '{step.Name}'";
        if (string.IsNullOrWhiteSpace(step.Command) && step.MarkOf("command") != step.Mark)
        {
            error(step.MarkOf("command"), $"the command of {name} is empty");
        }

        var ioNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var input in step.Inputs)
        {
            if (!IdentifierRegex().IsMatch(input.Name))
            {
                error(input.Mark, $"input name '{input.Name}' of {name} must be letters, digits and underscores");
            }

            if (!ioNames.Add(input.Name))
            {
                error(input.Mark, $"duplicate input '{input.Name}' in {name}");
            }
        }

        var outputNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var output in step.Outputs)
        {
            if (!IdentifierRegex().IsMatch(output.Name))
            {
                error(output.Mark, $"output name '{output.Name}' of {name} must be letters, digits and underscores");
            }

            if (!outputNames.Add(output.Name))
            {
                error(output.Mark, $"duplicate output '{output.Name}' in {name}");
            }
        }

        foreach (var need in step.Needs)
        {
            if (need == step.Name)
            {
                error(step.MarkOf("needs." + need), $"{name} cannot need itself");
            }
            else if (pipeline.FindStep(need) is null)
            {
                error(step.MarkOf("needs." + need), $"{name} needs unknown step '{need}'{Suggest(need, pipeline.Steps.Select(s => s.Name))}");
            }
        }

        if (step.Retries.MaxAttempts < 1)
        {
            error(step.Mark, $"max_attempts of {name} must be at least 1");
        }

        if (step.Retries.Multiplier < 1)
        {
            error(step.Mark, $"the backoff multiplier of {name} must be at least 1");
        }

        if (step.Timeout is { } t && t <= TimeSpan.Zero)
        {
            error(step.Mark, $"the timeout of {name} must be positive");
        }

        if (step.ForEach is { Concurrency: < 0 } fe)
        {
            error(fe.Mark, $"the foreach concurrency of {name} must be 0 (no limit) or more");
        }

        if (step.Compute.Target == ComputeTarget.Batch && step.Compute.Resources.Image is null && pipeline.Environment.Image is null)
        {
            error(step.Mark, $"{name} runs on batch but no container image is set (compute.resources.image or environment.image)");
        }

        foreach (var site in StepReferences.Sites(step))
        {
            ValidateSite(pipeline, step, site, error);
        }
    }

    private static void ValidateSite(PipelineDefinition pipeline, StepDefinition step, StepReferences.Site site, Action<SourceMark, string> error)
    {
        IReadOnlyList<Expression> expressions;
        try
        {
            expressions = StepReferences.Parse(site);
        }
        catch (ExpressionException ex)
        {
            error(site.Mark.At(ex.Offset), $"bad expression in {site.Where}: {ex.Message}");
            return;
        }

        if (site.Input is { Source: InputSource.StepOutput } stepInput && expressions is [ReferenceExpression reference]
            && reference.Path is ["steps", var s, "outputs", var o]
            && pipeline.FindStep(s)?.Outputs.FirstOrDefault(x => x.Name == o) is { Kind: OutputKind.Value } valueOutput
            && stepInput.ValueType is { } declared && declared != PipelineType.String
            && !Compatible(valueOutput.ValueType, declared))
        {
            error(site.Mark, $"{site.Where} is declared {declared.ToString().ToLowerInvariant()} but steps.{s}.outputs.{o} is {valueOutput.ValueType.ToString().ToLowerInvariant()}");
        }

        foreach (var expression in expressions)
        {
            try
            {
                var type = TypeOf(pipeline, step, site, expression, error);
                if (site.Context == StepReferences.Context.When && type is { } wt && wt != PipelineType.Bool)
                {
                    error(site.Mark.At(expression.Offset), $"{site.Where} must be true or false, but is {ScalarReader.Article(wt)}");
                }

                if (site.Context == StepReferences.Context.ForEach && type is { } ft && ft != PipelineType.List)
                {
                    error(site.Mark.At(expression.Offset), $"{site.Where} must yield a list, but is {ScalarReader.Article(ft)}");
                }
            }
            catch (ExpressionException ex)
            {
                error(site.Mark.At(ex.Offset), $"bad expression in {site.Where}: {ex.Message}");
            }
        }
    }

    /// <summary>Static type of an expression where it can be known; null when it depends on run-time data.</summary>
    private static PipelineType? TypeOf(
        PipelineDefinition pipeline, StepDefinition step, StepReferences.Site site, Expression expression, Action<SourceMark, string> error)
    {
        switch (expression)
        {
            case LiteralExpression l:
                return l.Value.Type;
            case ListExpression list:
                foreach (var item in list.Items)
                {
                    TypeOf(pipeline, step, site, item, error);
                }

                return PipelineType.List;
            case ReferenceExpression r:
                return ResolveReferenceType(pipeline, step, site, r, error);
            case NotExpression n:
                RequireBool(TypeOf(pipeline, step, site, n.Operand, error), n.Operand, "'not'");
                return PipelineType.Bool;
            case BinaryExpression { Operator: BinaryOperator.And or BinaryOperator.Or } b:
                var op = b.Operator == BinaryOperator.And ? "'and'" : "'or'";
                RequireBool(TypeOf(pipeline, step, site, b.Left, error), b.Left, op);
                RequireBool(TypeOf(pipeline, step, site, b.Right, error), b.Right, op);
                return PipelineType.Bool;
            case BinaryExpression b:
                var left = TypeOf(pipeline, step, site, b.Left, error);
                var right = TypeOf(pipeline, step, site, b.Right, error);
                if (b.Operator == BinaryOperator.In)
                {
                    if (right is { } rt && rt != PipelineType.List)
                    {
                        throw new ExpressionException($"'in' needs a list on its right, not {ScalarReader.Article(rt)}", b.Offset);
                    }
                }
                else if (left is { } lt && right is { } rt2 && !Compatible(lt, rt2))
                {
                    throw new ExpressionException($"cannot compare {ScalarReader.Article(lt)} with {ScalarReader.Article(rt2)}", b.Offset);
                }
                else if (b.Operator is not (BinaryOperator.Equal or BinaryOperator.NotEqual)
                    && (left ?? right) is PipelineType.Bool or PipelineType.List)
                {
                    throw new ExpressionException($"ordering comparisons need numbers or strings, not {(left ?? right).ToString()!.ToLowerInvariant()} values", b.Offset);
                }

                return PipelineType.Bool;
            default:
                return null;
        }
    }

    private static void RequireBool(PipelineType? type, Expression operand, string op)
    {
        if (type is { } t && t != PipelineType.Bool)
        {
            throw new ExpressionException($"{op} needs true or false, but got {ScalarReader.Article(t)}", operand.Offset);
        }
    }

    private static bool Compatible(PipelineType a, PipelineType b) =>
        a == b || (a is PipelineType.Int or PipelineType.Number && b is PipelineType.Int or PipelineType.Number);

    private static PipelineType? ResolveReferenceType(
        PipelineDefinition pipeline, StepDefinition step, StepReferences.Site site, ReferenceExpression r, Action<SourceMark, string> error)
    {
        var inCommand = site.Context == StepReferences.Context.Command;
        switch (r.Path)
        {
            case ["params", var p]:
                if (pipeline.FindParameter(p) is { } param)
                {
                    return param.Type;
                }

                throw new ExpressionException($"unknown parameter '{p}'{Suggest(p, pipeline.Parameters.Select(x => x.Name))}", r.Offset);
            case ["steps", var s, "outputs", var o]:
                if (s == step.Name)
                {
                    throw new ExpressionException($"a step cannot refer to its own outputs; use outputs.{o}", r.Offset);
                }

                if (pipeline.FindStep(s) is not { } target)
                {
                    throw new ExpressionException($"unknown step '{s}'{Suggest(s, pipeline.Steps.Select(x => x.Name))}", r.Offset);
                }

                if (target.Outputs.FirstOrDefault(x => x.Name == o) is not { } output)
                {
                    throw new ExpressionException($"step '{s}' has no output '{o}'{Suggest(o, target.Outputs.Select(x => x.Name))}", r.Offset);
                }

                if (output.Kind == OutputKind.Artifact && site.Input?.Source != InputSource.StepOutput)
                {
                    throw new ExpressionException($"steps.{s}.outputs.{o} is an artifact; pass it through 'inputs' and use inputs.NAME", r.Offset);
                }

                // A parallel-for step's value outputs are collected into a list, one item per iteration.
                return target.ForEach is not null ? PipelineType.List : output.Kind == OutputKind.Value ? output.ValueType : null;
            case ["item"]:
                if (step.ForEach is null)
                {
                    throw new ExpressionException("'item' is only available in a step with 'foreach'", r.Offset);
                }

                if (site.Context is StepReferences.Context.ForEach or StepReferences.Context.When)
                {
                    throw new ExpressionException("'item' is not available in 'when' or 'foreach', which apply to the whole step", r.Offset);
                }

                return null;
            case ["inputs", var i] when inCommand:
                if (step.Inputs.FirstOrDefault(x => x.Name == i) is not { } input)
                {
                    throw new ExpressionException($"{StepLabel(step)} has no input '{i}'{Suggest(i, step.Inputs.Select(x => x.Name))}", r.Offset);
                }

                return input.Source == InputSource.Value ? input.ValueType : PipelineType.String;
            case ["outputs", var o] when inCommand:
                if (step.Outputs.All(x => x.Name != o))
                {
                    throw new ExpressionException($"{StepLabel(step)} has no output '{o}'{Suggest(o, step.Outputs.Select(x => x.Name))}", r.Offset);
                }

                return PipelineType.String;
            case ["inputs" or "outputs", ..] when !inCommand:
                throw new ExpressionException($"'{r.Text}' can only be used in the command or env", r.Offset);
            default:
                throw new ExpressionException(
                    $"unknown reference '{r.Text}'; use params.NAME, steps.STEP.outputs.NAME, item, inputs.NAME or outputs.NAME", r.Offset);
        }
    }

    private static string StepLabel(StepDefinition step) => $"step '{step.Name}'";

    private static void ValidateAcyclic(PipelineDefinition pipeline, Action<SourceMark, string> error)
    {
        var names = pipeline.Steps.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var edges = pipeline.Steps
            .GroupBy(s => s.Name)
            .ToDictionary(g => g.Key, g => StepReferences.DependenciesOf(g.First()).Where(d => names.Contains(d) && d != g.Key).ToList(), StringComparer.Ordinal);
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new List<string>();
        var reported = new HashSet<string>(StringComparer.Ordinal);

        void Visit(string node)
        {
            state[node] = 1;
            stack.Add(node);
            foreach (var dep in edges[node])
            {
                if (!state.TryGetValue(dep, out var st))
                {
                    Visit(dep);
                }
                else if (st == 1)
                {
                    var cycle = stack.Skip(stack.IndexOf(dep)).ToList();
                    var key = string.Join(",", cycle.Order(StringComparer.Ordinal));
                    if (reported.Add(key))
                    {
                        // Name the cycle from the step declared first so the message is stable.
                        var first = pipeline.Steps.First(s => cycle.Contains(s.Name));
                        var start = cycle.IndexOf(first.Name);
                        var ordered = cycle.Skip(start).Concat(cycle.Take(start)).ToList();
                        error(first.Mark, $"dependency cycle: {string.Join(" -> ", ordered.Append(first.Name))} (each step needs the next)");
                    }
                }
            }

            stack.RemoveAt(stack.Count - 1);
            state[node] = 2;
        }

        foreach (var step in pipeline.Steps.Select(s => s.Name).Distinct())
        {
            if (!state.ContainsKey(step))
            {
                Visit(step);
            }
        }
    }

    private static string Suggest(string name, IEnumerable<string> candidates) =>
        NameSuggestions.Closest(name, candidates) is { } close ? $" (did you mean '{close}'?)" : string.Empty;

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex IdentifierRegex();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_-]*$")]
    private static partial Regex StepNameRegex();
}
