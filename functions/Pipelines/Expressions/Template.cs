using System.Text;
using Serverless.Pipelines.Definition;

namespace Serverless.Pipelines.Expressions;

/// <summary>
/// A string with embedded <c>${{ expression }}</c> parts, as used in commands, env values, inputs and conditions.
/// A template that is exactly one <c>${{ }}</c> keeps the expression's type when evaluated.
/// </summary>
public sealed class Template
{
    private readonly IReadOnlyList<object> _parts;

    private Template(string source, IReadOnlyList<object> parts)
    {
        Source = source;
        _parts = parts;
    }

    /// <summary>The original text.</summary>
    public string Source { get; }

    /// <summary>The embedded expressions in order.</summary>
    public IEnumerable<Expression> Expressions => _parts.OfType<Expression>();

    /// <summary>True when the whole template is one <c>${{ }}</c> with no surrounding text.</summary>
    public bool IsSingleExpression => _parts.Count == 1 && _parts[0] is Expression;

    /// <summary>Parses <paramref name="source"/>.</summary>
    /// <exception cref="ExpressionException">An embedded expression is malformed or unterminated.</exception>
    public static Template Parse(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var parts = new List<object>();
        var i = 0;
        var text = new StringBuilder();
        while (i < source.Length)
        {
            var open = source.IndexOf("${{", i, StringComparison.Ordinal);
            if (open < 0)
            {
                text.Append(source, i, source.Length - i);
                break;
            }

            text.Append(source, i, open - i);
            var close = source.IndexOf("}}", open + 3, StringComparison.Ordinal);
            if (close < 0)
            {
                throw new ExpressionException("'${{' is not closed by '}}'", open);
            }

            if (text.Length > 0)
            {
                parts.Add(text.ToString());
                text.Clear();
            }

            var inner = source.Substring(open + 3, close - open - 3);
            if (string.IsNullOrWhiteSpace(inner))
            {
                throw new ExpressionException("empty expression '${{ }}'", open);
            }

            parts.Add(ExpressionParser.Parse(inner, open + 3));
            i = close + 2;
        }

        if (text.Length > 0)
        {
            parts.Add(text.ToString());
        }

        return new Template(source, parts);
    }

    /// <summary>
    /// Parses a condition: either a bare expression (<c>params.x &gt; 1</c>) or a single <c>${{ }}</c>.
    /// </summary>
    /// <exception cref="ExpressionException">The condition is malformed.</exception>
    public static Expression ParseCondition(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var trimmed = source.Trim();
        if (trimmed.Contains("${{", StringComparison.Ordinal))
        {
            var template = Parse(trimmed);
            if (!template.IsSingleExpression)
            {
                throw new ExpressionException("a condition must be one expression, not text around '${{ }}'", 0);
            }

            return template.Expressions.Single();
        }

        return ExpressionParser.Parse(source);
    }

    /// <summary>Evaluates the template; a single expression keeps its type, anything else becomes a string.</summary>
    /// <exception cref="ExpressionException">A reference cannot be resolved or types do not match.</exception>
    public PipelineValue Evaluate(Func<ReferenceExpression, PipelineValue> resolve)
    {
        if (IsSingleExpression)
        {
            return ExpressionEvaluator.Evaluate((Expression)_parts[0], resolve);
        }

        var sb = new StringBuilder();
        foreach (var part in _parts)
        {
            sb.Append(part is Expression e ? ExpressionEvaluator.Evaluate(e, resolve).ToString() : (string)part);
        }

        return PipelineValue.FromString(sb.ToString());
    }

    /// <summary>Evaluates the template to text.</summary>
    /// <exception cref="ExpressionException">A reference cannot be resolved or types do not match.</exception>
    public string Render(Func<ReferenceExpression, PipelineValue> resolve) => Evaluate(resolve).ToString();
}
