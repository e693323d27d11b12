using System.Globalization;
using System.Text;

namespace Serverless.Tracking.Search;

/// <summary>
/// A parsed MLflow search filter: comparisons joined by <c>AND</c>, e.g.
/// <c>metrics.acc &gt; 0.5 and params.model = 'tree' and tags.`team name` LIKE 'ml%'</c>.
/// </summary>
public sealed class SearchFilter
{
    private static readonly Dictionary<string, FilterEntityKind> s_prefixes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["metrics"] = FilterEntityKind.Metric,
        ["metric"] = FilterEntityKind.Metric,
        ["params"] = FilterEntityKind.Param,
        ["param"] = FilterEntityKind.Param,
        ["parameters"] = FilterEntityKind.Param,
        ["parameter"] = FilterEntityKind.Param,
        ["tags"] = FilterEntityKind.Tag,
        ["tag"] = FilterEntityKind.Tag,
        ["attributes"] = FilterEntityKind.Attribute,
        ["attribute"] = FilterEntityKind.Attribute,
        ["attr"] = FilterEntityKind.Attribute,
        ["run"] = FilterEntityKind.Attribute,
    };

    private readonly string _text;
    private int _pos;

    private SearchFilter(string text, IReadOnlyList<FilterClause> clauses)
    {
        _text = text;
        Clauses = clauses;
    }

    private SearchFilter(string text)
    {
        _text = text;
        Clauses = [];
    }

    /// <summary>A filter that matches everything.</summary>
    public static SearchFilter Empty { get; } = new("", []);

    /// <summary>The filter as written.</summary>
    internal string Text => _text;

    /// <summary>The comparisons, all of which must hold.</summary>
    public IReadOnlyList<FilterClause> Clauses { get; }

    /// <summary>Parses <paramref name="text"/>; null or blank gives <see cref="Empty"/>.</summary>
    /// <exception cref="TrackingException">INVALID_PARAMETER_VALUE saying what is wrong and where.</exception>
    public static SearchFilter Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Empty;
        }

        var parser = new SearchFilter(text);
        var clauses = new List<FilterClause>();
        while (true)
        {
            clauses.Add(parser.ParseClause());
            parser.SkipSpace();
            if (parser.AtEnd)
            {
                break;
            }

            var word = parser.ReadWord();
            if (word.Equals("or", StringComparison.OrdinalIgnoreCase))
            {
                throw parser.Error("OR is not supported; combine comparisons with AND");
            }

            if (!word.Equals("and", StringComparison.OrdinalIgnoreCase))
            {
                throw parser.Error($"expected AND between comparisons, found '{word}'");
            }
        }

        return new SearchFilter(text, clauses);
    }

    /// <summary>
    /// Checks every clause names an attribute in <paramref name="numeric"/> or <paramref name="text"/>
    /// (for bare and <c>attributes.</c> keys), and that <paramref name="allowed"/> kinds only are used.
    /// </summary>
    /// <exception cref="TrackingException">INVALID_PARAMETER_VALUE naming the offending key.</exception>
    public void Validate(IReadOnlySet<string> numeric, IReadOnlySet<string> text, params FilterEntityKind[] allowed)
    {
        foreach (var clause in Clauses)
        {
            if (!allowed.Contains(clause.Kind))
            {
                throw TrackingException.Invalid($"Invalid filter '{_text}': {clause.Kind.ToString().ToLowerInvariant()} keys cannot be used here");
            }

            if (clause.Kind != FilterEntityKind.Attribute)
            {
                continue;
            }

            if (numeric.Contains(clause.Key))
            {
                if (clause.Number is null)
                {
                    throw TrackingException.Invalid($"Invalid filter '{_text}': attribute '{clause.Key}' is compared to numbers, not '{clause.Text ?? "a list"}'");
                }
            }
            else if (text.Contains(clause.Key))
            {
                if (clause.Number is not null)
                {
                    throw TrackingException.Invalid($"Invalid filter '{_text}': attribute '{clause.Key}' is compared to quoted strings, e.g. {clause.Key} = 'value'");
                }
            }
            else
            {
                throw TrackingException.Invalid(
                    $"Invalid filter '{_text}': unknown attribute '{clause.Key}'; valid attributes are {string.Join(", ", numeric.Concat(text).Order(StringComparer.Ordinal))}");
            }
        }
    }

    /// <summary>Parses one order-by entry such as <c>metrics.acc DESC</c>.</summary>
    internal static OrderByClause ParseOrderBy(string text)
    {
        var parser = new SearchFilter(text ?? "");
        parser.SkipSpace();
        var (kind, key) = parser.ParseIdentifier();
        parser.SkipSpace();
        var ascending = true;
        if (!parser.AtEnd)
        {
            var word = parser.ReadWord();
            ascending = word.ToUpperInvariant() switch
            {
                "ASC" => true,
                "DESC" => false,
                _ => throw TrackingException.Invalid($"Invalid order_by '{text}': expected ASC or DESC after the key, found '{word}'"),
            };
            parser.SkipSpace();
            if (!parser.AtEnd)
            {
                throw TrackingException.Invalid($"Invalid order_by '{text}': unexpected text after {word}");
            }
        }

        return new OrderByClause(kind, key, ascending);
    }

    private bool AtEnd => _pos >= _text.Length;

    private FilterClause ParseClause()
    {
        SkipSpace();
        var (kind, key) = ParseIdentifier();
        SkipSpace();
        var op = ParseOperator();
        SkipSpace();
        var kindName = kind switch
        {
            FilterEntityKind.Metric => "metrics",
            FilterEntityKind.Param => "params",
            FilterEntityKind.Tag => "tags",
            _ => "attributes",
        };

        if (AtEnd)
        {
            throw Error("expected a value (a number or a quoted string) after the operator");
        }

        if (op is FilterOperator.In or FilterOperator.NotIn)
        {
            if (kind == FilterEntityKind.Metric)
            {
                throw Error($"IN is not supported for metrics; compare {kindName}.{key} with =, !=, <, <=, > or >=");
            }

            return new FilterClause(kind, key, op, null, null, ParseList());
        }

        if (Peek is '\'' or '"')
        {
            var text = ParseQuoted();
            if (kind == FilterEntityKind.Metric)
            {
                throw Error($"metric {key} must be compared to a number, not the string '{text}'");
            }

            return new FilterClause(kind, key, op, null, text, null);
        }

        var number = ParseNumber();
        if (kind is FilterEntityKind.Param or FilterEntityKind.Tag)
        {
            throw Error($"{kindName}.{key} is a string; quote the value, e.g. {kindName}.{key} = '{number.ToString(CultureInfo.InvariantCulture)}'");
        }

        if (op is FilterOperator.Like or FilterOperator.ILike)
        {
            throw Error($"LIKE and ILIKE compare strings; '{key}' was compared to a number");
        }

        return new FilterClause(kind, key, op, number, null, null);
    }

    private (FilterEntityKind Kind, string Key) ParseIdentifier()
    {
        if (AtEnd)
        {
            throw Error("expected a key such as metrics.acc, params.lr, tags.team or an attribute");
        }

        if (Peek is '`' or '"')
        {
            return (FilterEntityKind.Attribute, ParseQuoted());
        }

        var start = _pos;
        while (!AtEnd && (char.IsAsciiLetterOrDigit(Peek) || Peek == '_'))
        {
            _pos++;
        }

        if (_pos == start)
        {
            throw Error($"expected a key such as metrics.acc, found '{Peek}'");
        }

        var head = _text[start.._pos];
        if (!AtEnd && Peek == '.' && s_prefixes.TryGetValue(head, out var kind))
        {
            _pos++;
            if (!AtEnd && Peek is '`' or '"')
            {
                return (kind, ParseQuoted());
            }

            var keyStart = _pos;
            while (!AtEnd && (char.IsLetterOrDigit(Peek) || Peek is '_' or '.' or '/' or '-' or ':'))
            {
                _pos++;
            }

            if (_pos == keyStart)
            {
                throw Error($"expected a key after '{head}.'");
            }

            return (kind, _text[keyStart.._pos]);
        }

        if (!AtEnd && Peek == '.')
        {
            throw Error($"unknown key type '{head}'; use metrics., params., tags. or attributes.");
        }

        return (FilterEntityKind.Attribute, head);
    }

    private FilterOperator ParseOperator()
    {
        if (AtEnd)
        {
            throw Error("expected an operator (=, !=, <, <=, >, >=, LIKE, ILIKE, IN, NOT IN)");
        }

        var c = Peek;
        if (c is '=' or '!' or '<' or '>')
        {
            var two = _pos + 1 < _text.Length ? _text.Substring(_pos, 2) : c.ToString();
            (FilterOperator Op, int Length)? match = two switch
            {
                "!=" or "<>" => (FilterOperator.NotEqual, 2),
                "<=" => (FilterOperator.LessOrEqual, 2),
                ">=" => (FilterOperator.GreaterOrEqual, 2),
                "==" => (FilterOperator.Equal, 2),
                _ => c switch
                {
                    '=' => (FilterOperator.Equal, 1),
                    '<' => (FilterOperator.Less, 1),
                    '>' => (FilterOperator.Greater, 1),
                    _ => null,
                },
            };
            if (match is null)
            {
                throw Error($"unknown operator starting with '{c}'");
            }

            _pos += match.Value.Length;
            if (!AtEnd && Peek is '=' or '<' or '>' or '!')
            {
                throw Error($"unknown operator '{_text.Substring(_pos - match.Value.Length, match.Value.Length + 1)}'");
            }

            return match.Value.Op;
        }

        var word = ReadWord();
        switch (word.ToUpperInvariant())
        {
            case "LIKE":
                return FilterOperator.Like;
            case "ILIKE":
                return FilterOperator.ILike;
            case "IN":
                return FilterOperator.In;
            case "NOT":
                SkipSpace();
                var next = ReadWord();
                if (next.Equals("IN", StringComparison.OrdinalIgnoreCase))
                {
                    return FilterOperator.NotIn;
                }

                throw Error($"expected IN after NOT, found '{next}'");
            default:
                throw Error($"unknown operator '{word}'; use =, !=, <, <=, >, >=, LIKE, ILIKE, IN or NOT IN");
        }
    }

    private List<string> ParseList()
    {
        if (AtEnd || Peek != '(')
        {
            throw Error("expected '(' starting the list after IN, e.g. IN ('a', 'b')");
        }

        _pos++;
        var items = new List<string>();
        while (true)
        {
            SkipSpace();
            if (AtEnd || Peek is not ('\'' or '"'))
            {
                throw Error("expected a quoted string in the IN list");
            }

            items.Add(ParseQuoted());
            SkipSpace();
            if (!AtEnd && Peek == ',')
            {
                _pos++;
                continue;
            }

            if (!AtEnd && Peek == ')')
            {
                _pos++;
                return items;
            }

            throw Error("expected ',' or ')' in the IN list");
        }
    }

    private string ParseQuoted()
    {
        var quote = _text[_pos];
        var start = _pos;
        _pos++;
        var builder = new StringBuilder();
        while (!AtEnd)
        {
            var c = _text[_pos++];
            if (c == '\\' && !AtEnd)
            {
                builder.Append(_text[_pos++]);
            }
            else if (c == quote)
            {
                // A doubled quote is a literal quote, as in SQL.
                if (!AtEnd && Peek == quote)
                {
                    builder.Append(quote);
                    _pos++;
                    continue;
                }

                return builder.ToString();
            }
            else
            {
                builder.Append(c);
            }
        }

        _pos = start;
        throw Error($"unterminated string starting with {quote}");
    }

    private double ParseNumber()
    {
        var start = _pos;
        while (!AtEnd && (char.IsAsciiLetterOrDigit(Peek) || Peek is '.' or '-' or '+'))
        {
            _pos++;
        }

        var token = _text[start.._pos];
        if (token.Length == 0)
        {
            throw Error("expected a value (a number or a quoted string)");
        }

        if (!double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            _pos = start;
            throw Error($"'{token}' is not a number; quote strings, e.g. '{token}'");
        }

        return value;
    }

    private string ReadWord()
    {
        var start = _pos;
        while (!AtEnd && !char.IsWhiteSpace(Peek) && Peek != '(')
        {
            _pos++;
        }

        return _text[start.._pos];
    }

    private char Peek => _text[_pos];

    private void SkipSpace()
    {
        while (!AtEnd && char.IsWhiteSpace(Peek))
        {
            _pos++;
        }
    }

    private TrackingException Error(string what) =>
        TrackingException.Invalid($"Invalid filter '{_text}' at position {_pos + 1}: {what}");
}
