using Serverless.Pipelines.Definition;

namespace Serverless.Pipelines.Expressions;

/// <summary>Evaluates expressions. Pure: references are resolved only through the caller's function.</summary>
public static class ExpressionEvaluator
{
    /// <summary>Evaluates <paramref name="expression"/>.</summary>
    /// <param name="expression">The parsed expression.</param>
    /// <param name="resolve">Resolves a reference; throws <see cref="ExpressionException"/> when it cannot.</param>
    /// <exception cref="ExpressionException">A reference cannot be resolved or types do not match.</exception>
    public static PipelineValue Evaluate(Expression expression, Func<ReferenceExpression, PipelineValue> resolve)
    {
        ArgumentNullException.ThrowIfNull(expression);
        ArgumentNullException.ThrowIfNull(resolve);
        switch (expression)
        {
            case LiteralExpression literal:
                return literal.Value;
            case ListExpression list:
                return PipelineValue.FromList(list.Items.Select(i => Evaluate(i, resolve)));
            case ReferenceExpression reference:
                return resolve(reference);
            case NotExpression not:
                return PipelineValue.FromBool(!Truth(Evaluate(not.Operand, resolve), not.Operand));
            case BinaryExpression { Operator: BinaryOperator.And } and:
                return PipelineValue.FromBool(Truth(Evaluate(and.Left, resolve), and.Left) && Truth(Evaluate(and.Right, resolve), and.Right));
            case BinaryExpression { Operator: BinaryOperator.Or } or:
                return PipelineValue.FromBool(Truth(Evaluate(or.Left, resolve), or.Left) || Truth(Evaluate(or.Right, resolve), or.Right));
            case BinaryExpression binary:
                return PipelineValue.FromBool(Compare(binary, Evaluate(binary.Left, resolve), Evaluate(binary.Right, resolve)));
            default:
                throw new ExpressionException("unsupported expression", expression.Offset);
        }
    }

    /// <summary>Evaluates a condition, which must yield a bool.</summary>
    /// <exception cref="ExpressionException">The result is not a bool, or evaluation fails.</exception>
    public static bool EvaluateCondition(Expression expression, Func<ReferenceExpression, PipelineValue> resolve)
    {
        ArgumentNullException.ThrowIfNull(expression);
        return Truth(Evaluate(expression, resolve), expression);
    }

    private static bool Truth(PipelineValue value, Expression source) => value.Type == PipelineType.Bool
        ? value.AsBool()
        : throw new ExpressionException($"expected true or false but got the {Describe(value)}", source.Offset);

    private static bool Compare(BinaryExpression e, PipelineValue left, PipelineValue right)
    {
        if (e.Operator == BinaryOperator.In)
        {
            if (right.Type != PipelineType.List)
            {
                throw new ExpressionException($"'in' needs a list on its right but got the {Describe(right)}", e.Offset);
            }

            return right.AsList().Any(item => Same(left, item));
        }

        var numeric = IsNumeric(left) && IsNumeric(right);
        if (!numeric && left.Type != right.Type)
        {
            throw new ExpressionException($"cannot compare the {Describe(left)} with the {Describe(right)}", e.Offset);
        }

        if (e.Operator is BinaryOperator.Equal or BinaryOperator.NotEqual)
        {
            return Same(left, right) == (e.Operator == BinaryOperator.Equal);
        }

        int order;
        if (numeric)
        {
            order = left.AsNumber().CompareTo(right.AsNumber());
        }
        else if (left.Type == PipelineType.String)
        {
            order = string.CompareOrdinal(left.AsString(), right.AsString());
        }
        else
        {
            throw new ExpressionException($"'{Symbol(e.Operator)}' compares numbers or strings, not {left.Type.ToString().ToLowerInvariant()} values", e.Offset);
        }

        return e.Operator switch
        {
            BinaryOperator.Less => order < 0,
            BinaryOperator.LessOrEqual => order <= 0,
            BinaryOperator.Greater => order > 0,
            _ => order >= 0,
        };
    }

    private static bool Same(PipelineValue a, PipelineValue b) =>
        IsNumeric(a) && IsNumeric(b) ? a.AsNumber().Equals(b.AsNumber()) : a.Equals(b);

    private static bool IsNumeric(PipelineValue v) => v.Type is PipelineType.Int or PipelineType.Number;

    private static string Describe(PipelineValue v) => $"{v.Type.ToString().ToLowerInvariant()} {v.ToJson()}";

    private static string Symbol(BinaryOperator op) => op switch
    {
        BinaryOperator.Less => "<",
        BinaryOperator.LessOrEqual => "<=",
        BinaryOperator.Greater => ">",
        _ => ">=",
    };
}
