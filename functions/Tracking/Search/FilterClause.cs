using System.Text;
using System.Text.RegularExpressions;

namespace Serverless.Tracking.Search;

/// <summary>One comparison of a filter, e.g. <c>metrics.acc &gt; 0.5</c>.</summary>
public sealed class FilterClause
{
    private Regex? _like;

    /// <summary>Creates a clause.</summary>
    public FilterClause(FilterEntityKind kind, string key, FilterOperator op, double? number, string? text, IReadOnlyList<string>? list)
    {
        Kind = kind;
        Key = key;
        Operator = op;
        Number = number;
        Text = text;
        List = list;
    }

    /// <summary>What the left-hand side names.</summary>
    public FilterEntityKind Kind { get; }

    /// <summary>The key (metric, param or tag key, or attribute name).</summary>
    public string Key { get; }

    /// <summary>The operator.</summary>
    public FilterOperator Operator { get; }

    /// <summary>The right-hand side when it is a number.</summary>
    public double? Number { get; }

    /// <summary>The right-hand side when it is a string.</summary>
    public string? Text { get; }

    /// <summary>The right-hand side of IN / NOT IN.</summary>
    public IReadOnlyList<string>? List { get; }

    /// <summary>Whether a numeric value satisfies the clause; a missing value never does.</summary>
    public bool Matches(double? value)
    {
        if (value is not { } v || Number is not { } n)
        {
            return false;
        }

        return Operator switch
        {
            FilterOperator.Equal => v == n,
            FilterOperator.NotEqual => v != n,
            FilterOperator.Less => v < n,
            FilterOperator.LessOrEqual => v <= n,
            FilterOperator.Greater => v > n,
            FilterOperator.GreaterOrEqual => v >= n,
            _ => false,
        };
    }

    /// <summary>Whether a string value satisfies the clause; a missing value never does.</summary>
    public bool Matches(string? value)
    {
        if (value is null)
        {
            return false;
        }

        return Operator switch
        {
            FilterOperator.Equal => string.Equals(value, Text, StringComparison.Ordinal),
            FilterOperator.NotEqual => !string.Equals(value, Text, StringComparison.Ordinal),
            FilterOperator.Less => string.CompareOrdinal(value, Text) < 0,
            FilterOperator.LessOrEqual => string.CompareOrdinal(value, Text) <= 0,
            FilterOperator.Greater => string.CompareOrdinal(value, Text) > 0,
            FilterOperator.GreaterOrEqual => string.CompareOrdinal(value, Text) >= 0,
            FilterOperator.Like or FilterOperator.ILike => LikeRegex().IsMatch(value),
            FilterOperator.In => List!.Contains(value, StringComparer.Ordinal),
            FilterOperator.NotIn => !List!.Contains(value, StringComparer.Ordinal),
            _ => false,
        };
    }

    /// <inheritdoc />
    public override string ToString() => $"{Kind} '{Key}' {Operator} {(object?)Number ?? Text ?? string.Join(",", List ?? [])}";

    private Regex LikeRegex()
    {
        if (_like is not null)
        {
            return _like;
        }

        // SQL LIKE: % is any run of characters, _ is one character, everything else is literal.
        var pattern = new StringBuilder("^");
        foreach (var c in Text ?? "")
        {
            pattern.Append(c switch
            {
                '%' => ".*",
                '_' => ".",
                _ => Regex.Escape(c.ToString()),
            });
        }

        pattern.Append('$');
        var options = RegexOptions.Singleline | RegexOptions.CultureInvariant;
        if (Operator == FilterOperator.ILike)
        {
            options |= RegexOptions.IgnoreCase;
        }

        _like = new Regex(pattern.ToString(), options, TimeSpan.FromMilliseconds(100));
        return _like;
    }
}
