using System.Globalization;
using System.Text.RegularExpressions;
using Serverless.Pipelines.Definition;
using Serverless.Pipelines.Yaml;

namespace Serverless.Pipelines.Parsing;

/// <summary>Typed reads of YAML nodes that report a located diagnostic instead of throwing.</summary>
internal sealed partial class ScalarReader(List<PipelineDiagnostic> diagnostics)
{
    public List<PipelineDiagnostic> Diagnostics { get; } = diagnostics;

    public void Error(SourceMark mark, string message) => Diagnostics.Add(new(mark, message));

    public YMapping? Mapping(YNode node, string what)
    {
        if (node is YMapping m)
        {
            return m;
        }

        Error(node.Mark, $"{what} must be a mapping, but found {node.KindName}");
        return null;
    }

    public string? String(YNode node, string what)
    {
        if (node is YScalar s && !s.IsNull)
        {
            return s.Value;
        }

        Error(node.Mark, $"{what} must be text, but found {node.KindName}");
        return null;
    }

    public long? Int(YNode node, string what, long min = long.MinValue)
    {
        if (node is YScalar s && long.TryParse(s.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v))
        {
            if (v < min)
            {
                Error(node.Mark, $"{what} must be at least {min}, but is {v}");
                return null;
            }

            return v;
        }

        Error(node.Mark, $"{what} must be an integer, but found {Show(node)}");
        return null;
    }

    public double? Number(YNode node, string what, double min = double.NegativeInfinity)
    {
        if (node is YScalar s && double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v))
        {
            if (v < min)
            {
                Error(node.Mark, $"{what} must be at least {min.ToString(CultureInfo.InvariantCulture)}, but is {s.Value}");
                return null;
            }

            return v;
        }

        Error(node.Mark, $"{what} must be a number, but found {Show(node)}");
        return null;
    }

    public bool? Bool(YNode node, string what)
    {
        if (node is YScalar s && s.Value.ToLowerInvariant() is "true" or "false")
        {
            return s.Value.Equals("true", StringComparison.OrdinalIgnoreCase);
        }

        Error(node.Mark, $"{what} must be true or false, but found {Show(node)}");
        return null;
    }

    /// <summary>Durations: <c>90s</c>, <c>5m</c>, <c>1h30m</c>, <c>500ms</c>, <c>2d</c>, or a plain number of seconds.</summary>
    public TimeSpan? Duration(YNode node, string what)
    {
        if (node is YScalar s && TryParseDuration(s.Value, out var d))
        {
            return d;
        }

        Error(node.Mark, $"{what} must be a duration such as 30s, 5m, 1h30m or a number of seconds, but found {Show(node)}");
        return null;
    }

    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var t = text.Trim();
        if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            if (seconds <= 0 || !double.IsFinite(seconds) || seconds > TimeSpan.MaxValue.TotalSeconds / 2)
            {
                return false;
            }

            duration = TimeSpan.FromSeconds(seconds);
            return true;
        }

        var match = DurationRegex().Match(t);
        if (!match.Success || t.Length == 0)
        {
            return false;
        }

        double ms = 0;
        foreach (Capture c in match.Groups["part"].Captures)
        {
            var unitStart = c.Value.IndexOfAny(['m', 's', 'h', 'd']);
            var amount = double.Parse(c.Value[..unitStart], CultureInfo.InvariantCulture);
            ms += c.Value[unitStart..] switch
            {
                "ms" => amount,
                "s" => amount * 1000,
                "m" => amount * 60_000,
                "h" => amount * 3_600_000,
                _ => amount * 86_400_000,
            };
        }

        if (ms <= 0)
        {
            return false;
        }

        duration = TimeSpan.FromMilliseconds(ms);
        return true;
    }

    /// <summary>Memory sizes: <c>512Mi</c>, <c>4Gi</c>, <c>2G</c>, <c>1000000</c> (bytes).</summary>
    public long? Memory(YNode node, string what)
    {
        if (node is YScalar s)
        {
            var m = MemoryRegex().Match(s.Value.Trim());
            if (m.Success)
            {
                var amount = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
                var factor = m.Groups[2].Value switch
                {
                    "" => 1d,
                    "K" or "k" => 1e3,
                    "M" => 1e6,
                    "G" => 1e9,
                    "T" => 1e12,
                    "Ki" => 1024d,
                    "Mi" => 1024d * 1024,
                    "Gi" => 1024d * 1024 * 1024,
                    _ => 1024d * 1024 * 1024 * 1024,
                };
                var bytes = amount * factor;
                if (bytes > 0 && bytes < long.MaxValue)
                {
                    return (long)bytes;
                }
            }
        }

        Error(node.Mark, $"{what} must be a size such as 512Mi, 4Gi or 8G, but found {Show(node)}");
        return null;
    }

    /// <summary>Reads a YAML value as a typed pipeline value (plain scalars are typed as YAML 1.2's core schema does).</summary>
    public PipelineValue? Value(YNode node, PipelineType? expected, string what)
    {
        PipelineValue? value = node switch
        {
            YScalar s when s.IsNull => null,
            YScalar s when !s.IsPlain => PipelineValue.FromString(s.Value),
            YScalar s => InferPlain(s.Value),
            YSequence seq => ListOf(seq, what),
            _ => null,
        };
        if (value is null)
        {
            if (node is not YSequence)
            {
                Error(node.Mark, $"{what} must be {(expected is { } e ? Article(e) : "a value")}, but found {Show(node)}");
            }

            return null;
        }

        if (expected is { } type)
        {
            if (value.CoerceTo(type) is { } coerced)
            {
                return coerced;
            }

            // A plain scalar like 3 stands for the string "3" where a string is expected.
            if (type == PipelineType.String && node is YScalar plain)
            {
                return PipelineValue.FromString(plain.Value);
            }

            Error(node.Mark, $"{what} must be {Article(type)}, but found {Show(node)}");
            return null;
        }

        return value;
    }

    public static string Article(PipelineType type) => type switch
    {
        PipelineType.String => "a string",
        PipelineType.Int => "an int",
        PipelineType.Number => "a number",
        PipelineType.Bool => "a bool",
        _ => "a list",
    };

    public static string Show(YNode node) => node switch
    {
        YScalar s when s.IsNull => "nothing",
        YScalar s => $"'{(s.Value.Length > 40 ? s.Value[..40] + "…" : s.Value)}'",
        _ => node.KindName,
    };

    private PipelineValue? ListOf(YSequence seq, string what)
    {
        var items = new List<PipelineValue>();
        var ok = true;
        for (var i = 0; i < seq.Items.Count; i++)
        {
            if (seq.Items[i] is not YScalar)
            {
                Error(seq.Items[i].Mark, $"{what}[{i}] must be a scalar; lists hold strings, numbers or bools");
                ok = false;
                continue;
            }

            if (Value(seq.Items[i], null, $"{what}[{i}]") is { } v)
            {
                items.Add(v);
            }
            else
            {
                ok = false;
            }
        }

        return ok ? PipelineValue.FromList(items) : null;
    }

    private static PipelineValue InferPlain(string text)
    {
        if (text is "true" or "True" or "TRUE")
        {
            return PipelineValue.True;
        }

        if (text is "false" or "False" or "FALSE")
        {
            return PipelineValue.False;
        }

        if (IntRegex().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
        {
            return PipelineValue.FromInt(l);
        }

        if (FloatRegex().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
        {
            return PipelineValue.FromNumber(d);
        }

        return PipelineValue.FromString(text);
    }

    [GeneratedRegex(@"^(?<part>\d+(\.\d+)?(ms|s|m|h|d))+$")]
    private static partial Regex DurationRegex();

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|K|k|M|G|T)?$")]
    private static partial Regex MemoryRegex();

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex IntRegex();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatRegex();
}
