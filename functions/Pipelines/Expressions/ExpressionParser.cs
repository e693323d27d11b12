using System.Globalization;
using Serverless.Pipelines.Definition;

namespace Serverless.Pipelines.Expressions;

/// <summary>
/// Parses the expression language: literals, dotted references, lists, comparisons, <c>in</c>,
/// <c>and</c>/<c>or</c>/<c>not</c> (also <c>&amp;&amp;</c>, <c>||</c>, <c>!</c>) and parentheses. There is no
/// arithmetic and no function call, so evaluating an expression cannot loop or touch anything outside the run.
/// </summary>
public static class ExpressionParser
{
    /// <summary>Parses <paramref name="text"/> as one expression.</summary>
    /// <param name="text">The expression text (without <c>${{ }}</c>).</param>
    /// <param name="baseOffset">Added to reported offsets, when the text is part of a larger string.</param>
    /// <exception cref="ExpressionException">The text is not a valid expression.</exception>
    public static Expression Parse(string text, int baseOffset = 0)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = Tokenize(text, baseOffset);
        var parser = new Cursor(tokens, baseOffset + text.Length);
        var expression = parser.ParseOr();
        if (!parser.AtEnd)
        {
            var t = parser.Peek;
            throw new ExpressionException($"unexpected '{t.Text}' after the end of the expression", t.Offset);
        }

        return expression;
    }

    private enum TokenKind
    {
        Identifier,
        Number,
        String,
        Symbol,
    }

    private readonly record struct Token(TokenKind Kind, string Text, int Offset);

    private static List<Token> Tokenize(string text, int baseOffset)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            var start = i;
            if (char.IsAsciiLetter(c) || c == '_')
            {
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '_' or '-'))
                {
                    i++;
                }

                tokens.Add(new(TokenKind.Identifier, text[start..i], baseOffset + start));
            }
            else if (char.IsAsciiDigit(c) || (c == '-' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                i++;
                while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] is '.' or 'e' or 'E'
                    || (text[i] is '+' or '-' && text[i - 1] is 'e' or 'E')))
                {
                    i++;
                }

                tokens.Add(new(TokenKind.Number, text[start..i], baseOffset + start));
            }
            else if (c is '\'' or '"')
            {
                i++;
                var sb = new System.Text.StringBuilder();
                while (true)
                {
                    if (i >= text.Length)
                    {
                        throw new ExpressionException("unterminated string literal", baseOffset + start);
                    }

                    if (text[i] == c)
                    {
                        // A doubled quote inside a string stands for one quote, as in YAML's single-quoted style.
                        if (i + 1 < text.Length && text[i + 1] == c)
                        {
                            sb.Append(c);
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    sb.Append(text[i++]);
                }

                tokens.Add(new(TokenKind.String, sb.ToString(), baseOffset + start));
            }
            else
            {
                var two = i + 1 < text.Length ? text.Substring(i, 2) : null;
                if (two is "==" or "!=" or "<=" or ">=" or "&&" or "||")
                {
                    tokens.Add(new(TokenKind.Symbol, two, baseOffset + i));
                    i += 2;
                }
                else if (c is '<' or '>' or '!' or '(' or ')' or '[' or ']' or ',' or '.')
                {
                    tokens.Add(new(TokenKind.Symbol, c.ToString(), baseOffset + i));
                    i++;
                }
                else
                {
                    throw new ExpressionException($"unexpected character '{c}'", baseOffset + i);
                }
            }
        }

        return tokens;
    }

    private sealed class Cursor(List<Token> tokens, int endOffset)
    {
        private int _position;

        public bool AtEnd => _position >= tokens.Count;

        public Token Peek => tokens[_position];

        public Expression ParseOr()
        {
            var left = ParseAnd();
            while (Accept("or", "||") is { } op)
            {
                left = new BinaryExpression(BinaryOperator.Or, left, ParseAnd()) { Offset = op.Offset };
            }

            return left;
        }

        private Expression ParseAnd()
        {
            var left = ParseNot();
            while (Accept("and", "&&") is { } op)
            {
                left = new BinaryExpression(BinaryOperator.And, left, ParseNot()) { Offset = op.Offset };
            }

            return left;
        }

        private Expression ParseNot()
        {
            if (Accept("not", "!") is { } op)
            {
                return new NotExpression(ParseNot()) { Offset = op.Offset };
            }

            return ParseComparison();
        }

        private Expression ParseComparison()
        {
            var left = ParsePrimary();
            if (Accept("==", "!=", "<", "<=", ">", ">=", "in") is { } op)
            {
                var kind = op.Text switch
                {
                    "==" => BinaryOperator.Equal,
                    "!=" => BinaryOperator.NotEqual,
                    "<" => BinaryOperator.Less,
                    "<=" => BinaryOperator.LessOrEqual,
                    ">" => BinaryOperator.Greater,
                    ">=" => BinaryOperator.GreaterOrEqual,
                    _ => BinaryOperator.In,
                };
                var right = ParsePrimary();
                if (!AtEnd && Peek.Kind == TokenKind.Symbol && Peek.Text is "==" or "!=" or "<" or "<=" or ">" or ">=")
                {
                    throw new ExpressionException("comparisons cannot be chained; use 'and'", Peek.Offset);
                }

                return new BinaryExpression(kind, left, right) { Offset = op.Offset };
            }

            return left;
        }

        private Expression ParsePrimary()
        {
            if (AtEnd)
            {
                throw new ExpressionException("the expression ends where a value was expected", endOffset);
            }

            var t = tokens[_position++];
            switch (t.Kind)
            {
                case TokenKind.Number:
                    if (long.TryParse(t.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
                    {
                        return new LiteralExpression(PipelineValue.FromInt(l)) { Offset = t.Offset };
                    }

                    if (double.TryParse(t.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
                    {
                        return new LiteralExpression(PipelineValue.FromNumber(d)) { Offset = t.Offset };
                    }

                    throw new ExpressionException($"'{t.Text}' is not a number", t.Offset);
                case TokenKind.String:
                    return new LiteralExpression(PipelineValue.FromString(t.Text)) { Offset = t.Offset };
                case TokenKind.Identifier when t.Text is "true" or "false":
                    return new LiteralExpression(PipelineValue.FromBool(t.Text == "true")) { Offset = t.Offset };
                case TokenKind.Identifier when t.Text is "and" or "or" or "not" or "in":
                    throw new ExpressionException($"'{t.Text}' needs a value before it", t.Offset);
                case TokenKind.Identifier:
                    var path = new List<string> { t.Text };
                    while (Accept(".") is not null)
                    {
                        if (AtEnd || Peek.Kind != TokenKind.Identifier)
                        {
                            throw new ExpressionException("a name is expected after '.'", AtEnd ? endOffset : Peek.Offset);
                        }

                        path.Add(tokens[_position++].Text);
                    }

                    return new ReferenceExpression(path) { Offset = t.Offset };
                case TokenKind.Symbol when t.Text == "(":
                    var inner = ParseOr();
                    Expect(")");
                    return inner;
                case TokenKind.Symbol when t.Text == "[":
                    var items = new List<Expression>();
                    if (Accept("]") is null)
                    {
                        do
                        {
                            items.Add(ParsePrimary());
                        }
                        while (Accept(",") is not null);
                        Expect("]");
                    }

                    return new ListExpression(items) { Offset = t.Offset };
                default:
                    throw new ExpressionException($"unexpected '{t.Text}' where a value was expected", t.Offset);
            }
        }

        private Token? Accept(params string[] texts)
        {
            if (!AtEnd && texts.Contains(Peek.Text) && Peek.Kind is TokenKind.Symbol or TokenKind.Identifier)
            {
                return tokens[_position++];
            }

            return null;
        }

        private void Expect(string text)
        {
            if (Accept(text) is null)
            {
                throw new ExpressionException($"'{text}' expected", AtEnd ? endOffset : Peek.Offset);
            }
        }
    }
}
