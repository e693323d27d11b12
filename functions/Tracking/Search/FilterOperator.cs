namespace Serverless.Tracking.Search;

/// <summary>Comparison operators of MLflow's search language.</summary>
public enum FilterOperator
{
    /// <summary><c>=</c></summary>
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

    /// <summary><c>LIKE</c> with <c>%</c> and <c>_</c> wildcards, case-sensitive.</summary>
    Like,

    /// <summary><c>ILIKE</c>: LIKE ignoring case.</summary>
    ILike,

    /// <summary><c>IN ('a', 'b')</c></summary>
    In,

    /// <summary><c>NOT IN ('a', 'b')</c></summary>
    NotIn,
}
