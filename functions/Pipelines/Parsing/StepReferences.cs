using Serverless.Pipelines.Definition;
using Serverless.Pipelines.Expressions;

namespace Serverless.Pipelines.Parsing;

/// <summary>Finds the expressions a step contains and the steps it depends on (explicit <c>needs</c> plus references).</summary>
public static class StepReferences
{
    /// <summary>Where an expression appears in a step, which decides what it may refer to.</summary>
    public enum Context
    {
        /// <summary>The command or an env value: may use <c>inputs.X</c>, <c>outputs.X</c> (paths) and <c>item</c>.</summary>
        Command,

        /// <summary>An input: may use <c>item</c>.</summary>
        Input,

        /// <summary>The <c>when</c> condition: params and step output values only.</summary>
        When,

        /// <summary>The <c>foreach</c> items expression: params and step output values only.</summary>
        ForEach,
    }

    /// <summary>One template of a step with where it is and what context it is in.</summary>
    /// <param name="Source">The raw text.</param>
    /// <param name="Mark">Where the text starts.</param>
    /// <param name="Where">Description for messages, e.g. "the command of step 'train'".</param>
    /// <param name="Context">What the template may refer to.</param>
    /// <param name="IsCondition">True for <c>when</c>/<c>foreach</c>, which are bare expressions or one <c>${{ }}</c>.</param>
    /// <param name="Input">The input, for input templates.</param>
    public sealed record Site(string Source, SourceMark Mark, string Where, Context Context, bool IsCondition, StepInput? Input = null);

    /// <summary>Every template in <paramref name="step"/>.</summary>
    public static IEnumerable<Site> Sites(StepDefinition step)
    {
        ArgumentNullException.ThrowIfNull(step);
        var name = $"step '{step.Name}'";
        yield return new(step.Command, step.MarkOf("command"), $"the command of {name}", Context.Command, false);
        foreach (var (key, value) in step.Env)
        {
            yield return new(value, step.MarkOf("env." + key), $"env '{key}' of {name}", Context.Command, false);
        }

        foreach (var input in step.Inputs)
        {
            yield return new(input.Template, input.Mark, $"input '{input.Name}' of {name}", Context.Input, false, input);
        }

        if (step.When is { } when)
        {
            yield return new(when, step.MarkOf("when"), $"the 'when' of {name}", Context.When, true);
        }

        if (step.ForEach?.ItemsExpression is { } items)
        {
            yield return new(items, step.ForEach.Mark, $"the foreach of {name}", Context.ForEach, true);
        }
    }

    /// <summary>Parses a site's expressions.</summary>
    /// <exception cref="ExpressionException">The template is malformed.</exception>
    public static IReadOnlyList<Expression> Parse(Site site)
    {
        ArgumentNullException.ThrowIfNull(site);
        return site.IsCondition ? [Template.ParseCondition(site.Source)] : Template.Parse(site.Source).Expressions.ToList();
    }

    /// <summary>All references in an expression tree.</summary>
    public static IEnumerable<ReferenceExpression> ReferencesIn(Expression expression) => expression switch
    {
        ReferenceExpression r => [r],
        ListExpression l => l.Items.SelectMany(ReferencesIn),
        NotExpression n => ReferencesIn(n.Operand),
        BinaryExpression b => ReferencesIn(b.Left).Concat(ReferencesIn(b.Right)),
        _ => [],
    };

    /// <summary>
    /// The steps <paramref name="step"/> depends on: its <c>needs</c> and every step it references, in a
    /// stable order. Malformed templates contribute nothing (validation reports them).
    /// </summary>
    public static IReadOnlyList<string> DependenciesOf(StepDefinition step)
    {
        ArgumentNullException.ThrowIfNull(step);
        var result = new List<string>();
        foreach (var need in step.Needs)
        {
            if (!result.Contains(need))
            {
                result.Add(need);
            }
        }

        foreach (var site in Sites(step))
        {
            IReadOnlyList<Expression> expressions;
            try
            {
                expressions = Parse(site);
            }
            catch (ExpressionException)
            {
                continue;
            }

            foreach (var reference in expressions.SelectMany(ReferencesIn))
            {
                if (reference.Path is ["steps", var target, ..] && !result.Contains(target))
                {
                    result.Add(target);
                }
            }
        }

        return result;
    }
}
