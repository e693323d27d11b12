namespace Serverless.Pipelines.Expressions;

/// <summary>Binary operators of the expression language.</summary>
public enum BinaryOperator
{
    /// <summary><c>==</c></summary>
    Equal,

    /// <summary><c>!=</c></summary>
    NotEqual,

    /// <summary><c>&lt;</c></summary>
    Less,

    /// <summary><c>&lt;=</c></summary>
    LessOrEqual,

    /// <summary><c>&gt;</c></summary>
    Greater,

    /// <summary><c>&gt;=</c></summary>
    GreaterOrEqual,

    /// <summary><c>and</c> / <c>&amp;&amp;</c> (short-circuit)</summary>
    And,

    /// <summary><c>or</c> / <c>||</c> (short-circuit)</summary>
    Or,

    /// <summary><c>in</c>: membership of the left value in the right list</summary>
    In,
}
