using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Serverless.Sweeps;

/// <summary>Typed access to YAML nodes that records errors with line and column instead of throwing.</summary>
internal sealed class YamlReader(string file)
{
    public List<SweepConfigError> Errors { get; } = [];

    public string File { get; } = file;

    public void Error(YamlNode node, string message) =>
        Errors.Add(new SweepConfigError(File, (int)node.Start.Line, (int)node.Start.Column, message));

    public YamlMappingNode? AsMapping(YamlNode node, string path)
    {
        if (node is YamlMappingNode map)
        {
            return map;
        }

        Error(node, $"{path}: expected a mapping, found {Describe(node)}");
        return null;
    }

    public Dictionary<string, (YamlScalarNode Key, YamlNode Value)> Entries(YamlMappingNode map, string path, IReadOnlyCollection<string> allowed)
    {
        var result = new Dictionary<string, (YamlScalarNode, YamlNode)>(StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in map.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key } scalarKey)
            {
                Error(keyNode, $"{(path.Length == 0 ? "sweep" : path)}: keys must be plain names");
                continue;
            }

            if (!allowed.Contains(key))
            {
                Error(keyNode, $"{Join(path, key)}: unknown key; expected one of {string.Join(", ", allowed)}");
                continue;
            }

            if (!result.TryAdd(key, (scalarKey, valueNode)))
            {
                Error(keyNode, $"{Join(path, key)}: duplicate key");
            }
        }

        return result;
    }

    public string? String(YamlNode node, string path)
    {
        if (node is YamlScalarNode { Value: { } s })
        {
            return s;
        }

        Error(node, $"{path}: expected a text value, found {Describe(node)}");
        return null;
    }

    public double? Number(YamlNode node, string path)
    {
        if (node is YamlScalarNode scalar && Scalar(scalar) is long or double)
        {
            return Convert.ToDouble(Scalar(scalar), CultureInfo.InvariantCulture);
        }

        Error(node, $"{path}: expected a number, found {Describe(node)}");
        return null;
    }

    public long? Integer(YamlNode node, string path, long min = long.MinValue)
    {
        if (node is YamlScalarNode scalar && Scalar(scalar) is long value)
        {
            if (value < min)
            {
                Error(node, $"{path}: must be at least {min}, found {value}");
                return null;
            }

            return value;
        }

        Error(node, $"{path}: expected an integer, found {Describe(node)}");
        return null;
    }

    /// <summary>The typed value of a scalar: quoted text stays text; plain text becomes an integer, real, bool or null when it reads as one.</summary>
    public static object? Scalar(YamlScalarNode node)
    {
        var text = node.Value ?? string.Empty;
        if (node.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
        {
            return text;
        }

        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return true;
            case "false" or "False" or "FALSE":
                return false;
            case ".inf" or ".Inf" or "+.inf":
                return double.PositiveInfinity;
            case "-.inf" or "-.Inf":
                return double.NegativeInfinity;
            default:
                break;
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
        {
            return l;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
        {
            return d;
        }

        return text;
    }

    public static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    public static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode s => $"'{s.Value}'",
        _ => "an alias",
    };
}
