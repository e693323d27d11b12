using Serverless.Pipelines.Definition;

namespace Serverless.Pipelines.Expressions;

/// <summary>A parsed expression of the pipeline expression language (see docs/pipelines.md).</summary>
public abstract record Expression
{
    /// <summary>Offset of the expression in its source text (0-based), for messages.</summary>
    public int Offset { get; init; }
}

/// <summary>A literal: string, number, bool.</summary>
/// <param name="Value">The value.</param>
public sealed record LiteralExpression(PipelineValue Value) : Expression;

/// <summary>A list literal <c>[a, b]</c>.</summary>
/// <param name="Items">The items.</param>
public sealed record ListExpression(IReadOnlyList<Expression> Items) : Expression;

/// <summary>A dotted reference such as <c>params.lr</c> or <c>steps.train.outputs.auc</c>.</summary>
/// <param name="Path">The dotted parts.</param>
public sealed record ReferenceExpression(IReadOnlyList<string> Path) : Expression
{
    /// <summary>The reference as written, e.g. <c>steps.train.outputs.auc</c>.</summary>
    public string Text => string.Join('.', Path);
}

/// <summary>Logical negation.</summary>
/// <param name="Operand">The negated expression.</param>
public sealed record NotExpression(Expression Operand) : Expression;

/// <summary>A binary operator: comparison or logical.</summary>
/// <param name="Operator">The operator.</param>
/// <param name="Left">Left operand.</param>
/// <param name="Right">Right operand.</param>
public sealed record BinaryExpression(BinaryOperator Operator, Expression Left, Expression Right) : Expression;
