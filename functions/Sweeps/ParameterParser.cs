using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Serverless.Sweeps;

/// <summary>Reads the <c>parameters:</c> block, including nested parameters and distribution inference.</summary>
internal static class ParameterParser
{
    private static readonly Dictionary<string, DistributionKind> s_distributions = new(StringComparer.Ordinal)
    {
        ["constant"] = DistributionKind.Constant,
        ["categorical"] = DistributionKind.Categorical,
        ["int_uniform"] = DistributionKind.IntUniform,
        ["uniform"] = DistributionKind.Uniform,
        ["q_uniform"] = DistributionKind.QUniform,
        ["log_uniform"] = DistributionKind.LogUniform,
        ["log_uniform_values"] = DistributionKind.LogUniformValues,
        ["q_log_uniform"] = DistributionKind.QLogUniform,
        ["q_log_uniform_values"] = DistributionKind.QLogUniformValues,
        ["inv_log_uniform"] = DistributionKind.InvLogUniform,
        ["inv_log_uniform_values"] = DistributionKind.InvLogUniformValues,
        ["normal"] = DistributionKind.Normal,
        ["q_normal"] = DistributionKind.QNormal,
        ["log_normal"] = DistributionKind.LogNormal,
        ["q_log_normal"] = DistributionKind.QLogNormal,
    };

    private static readonly string[] s_specKeys = ["distribution", "value", "values", "probabilities", "min", "max", "mu", "sigma", "q", "parameters"];

    public static void ReadParameters(YamlReader r, YamlNode node, string prefix, List<ParameterSpec> into)
    {
        var path = YamlReader.Join(prefix, "parameters");
        if (r.AsMapping(node, prefix.Length == 0 ? "parameters" : path) is not { } map)
        {
            return;
        }

        if (map.Children.Count == 0)
        {
            r.Error(map, $"{(prefix.Length == 0 ? "parameters" : path)}: at least one parameter is required");
        }

        foreach (var (keyNode, valueNode) in map.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { Length: > 0 } name })
            {
                r.Error(keyNode, "parameters: parameter names must be plain text");
                continue;
            }

            if (name.Contains('.', StringComparison.Ordinal))
            {
                r.Error(keyNode, $"parameters.{name}: names must not contain '.'; nest with 'parameters:' instead");
                continue;
            }

            var fullName = YamlReader.Join(prefix, name);
            if (ReadOne(r, fullName, valueNode, into) is { } spec)
            {
                into.Add(spec);
            }
        }
    }

    private static ParameterSpec? ReadOne(YamlReader r, string name, YamlNode node, List<ParameterSpec> into)
    {
        var path = $"parameters.{name}";
        if (r.AsMapping(node, path) is not { } map)
        {
            return null;
        }

        var e = r.Entries(map, path, s_specKeys);
        if (e.TryGetValue("parameters", out var nested))
        {
            foreach (var (key, (keyNode, _)) in e)
            {
                if (key != "parameters")
                {
                    r.Error(keyNode, $"{path}.{key}: a parameter with nested 'parameters' cannot also have '{key}'");
                }
            }

            ReadParameters(r, nested.Value, name, into);
            return null;
        }

        DistributionKind kind;
        if (e.TryGetValue("distribution", out var distNode))
        {
            var distName = r.String(distNode.Value, $"{path}.distribution");
            if (distName is null)
            {
                return null;
            }

            if (!s_distributions.TryGetValue(distName, out kind))
            {
                r.Error(distNode.Value, $"{path}.distribution: '{distName}' is not supported; use one of {string.Join(", ", s_distributions.Keys)}");
                return null;
            }
        }
        else if (e.ContainsKey("values"))
        {
            kind = DistributionKind.Categorical;
        }
        else if (e.ContainsKey("value"))
        {
            kind = DistributionKind.Constant;
        }
        else if (e.TryGetValue("min", out var minNode) && e.TryGetValue("max", out var maxNode))
        {
            var bothInts = minNode.Value is YamlScalarNode a && YamlReader.Scalar(a) is long
                && maxNode.Value is YamlScalarNode b && YamlReader.Scalar(b) is long;
            kind = bothInts ? DistributionKind.IntUniform : DistributionKind.Uniform;
        }
        else
        {
            r.Error(map, $"{path}: give 'value', 'values', 'min' and 'max', or a 'distribution'");
            return null;
        }

        var required = Required(kind);
        var optional = Optional(kind);
        foreach (var (key, (keyNode, _)) in e)
        {
            if (key != "distribution" && !required.Contains(key) && !optional.Contains(key))
            {
                r.Error(keyNode, $"{path}.{key}: does not apply to distribution {DistName(kind)}");
            }
        }

        var missing = false;
        foreach (var key in required.Where(k => !e.ContainsKey(k)))
        {
            r.Error(map, $"{path}.{key}: required for distribution {DistName(kind)}");
            missing = true;
        }

        if (missing)
        {
            return null;
        }

        var errorsBefore = r.Errors.Count;
        double Num(string key, double fallback) =>
            e.TryGetValue(key, out var v) ? r.Number(v.Value, $"{path}.{key}") ?? fallback : fallback;

        var q = Num("q", 1);
        var qIsInteger = !e.TryGetValue("q", out var qNode) || (qNode.Value is YamlScalarNode qs && YamlReader.Scalar(qs) is long);
        try
        {
            switch (kind)
            {
                case DistributionKind.Constant:
                    return ParameterSpec.Constant(name, ReadValue(r, e["value"].Value, $"{path}.value"));
                case DistributionKind.Categorical:
                    return ReadCategorical(r, name, path, e);
                case DistributionKind.IntUniform:
                    {
                        var min = r.Integer(e["min"].Value, $"{path}.min");
                        var max = r.Integer(e["max"].Value, $"{path}.max");
                        return min is null || max is null ? null : ParameterSpec.IntUniform(name, min.Value, max.Value);
                    }

                default:
                    break;
            }

            var lo = Num("min", 0);
            var hi = Num("max", 0);
            var mu = Num("mu", 0);
            var sigma = Num("sigma", 1);
            if (r.Errors.Count > errorsBefore)
            {
                return null;
            }

            return kind switch
            {
                DistributionKind.Uniform => ParameterSpec.Uniform(name, lo, hi),
                DistributionKind.QUniform => ParameterSpec.QUniform(name, lo, hi, q, qIsInteger),
                DistributionKind.LogUniform => ParameterSpec.LogUniform(name, lo, hi),
                DistributionKind.LogUniformValues => ParameterSpec.LogUniformValues(name, lo, hi),
                DistributionKind.QLogUniform => ParameterSpec.QLogUniform(name, lo, hi, q, qIsInteger),
                DistributionKind.QLogUniformValues => ParameterSpec.QLogUniformValues(name, lo, hi, q, qIsInteger),
                DistributionKind.InvLogUniform => ParameterSpec.InvLogUniform(name, lo, hi),
                DistributionKind.InvLogUniformValues => ParameterSpec.InvLogUniformValues(name, lo, hi),
                DistributionKind.Normal => ParameterSpec.Normal(name, mu, sigma),
                DistributionKind.QNormal => ParameterSpec.QNormal(name, mu, sigma, q, qIsInteger),
                DistributionKind.LogNormal => ParameterSpec.LogNormal(name, mu, sigma),
                DistributionKind.QLogNormal => ParameterSpec.QLogNormal(name, mu, sigma, q, qIsInteger),
                _ => null,
            };
        }
        catch (ArgumentException ex)
        {
            // The factories validate ranges; their message already names the parameter.
            r.Error(map, ex.Message.Split(" (Parameter", 2)[0]);
            return null;
        }
    }

    private static ParameterSpec? ReadCategorical(YamlReader r, string name, string path, Dictionary<string, (YamlScalarNode Key, YamlNode Value)> e)
    {
        if (e["values"].Value is not YamlSequenceNode seq)
        {
            r.Error(e["values"].Value, $"{path}.values: expected a list, found {YamlReader.Describe(e["values"].Value)}");
            return null;
        }

        if (seq.Children.Count == 0)
        {
            r.Error(seq, $"{path}.values: the list is empty");
            return null;
        }

        var values = seq.Children.Select((v, i) => ReadValue(r, v, $"{path}.values[{i}]")).ToList();
        List<double>? probabilities = null;
        if (e.TryGetValue("probabilities", out var probNode))
        {
            if (probNode.Value is not YamlSequenceNode probSeq)
            {
                r.Error(probNode.Value, $"{path}.probabilities: expected a list of numbers");
                return null;
            }

            probabilities = [];
            for (var i = 0; i < probSeq.Children.Count; i++)
            {
                if (r.Number(probSeq.Children[i], $"{path}.probabilities[{i}]") is { } p)
                {
                    if (p < 0)
                    {
                        r.Error(probSeq.Children[i], $"{path}.probabilities[{i}]: must not be negative");
                    }

                    probabilities.Add(p);
                }
            }

            if (probabilities.Count != probSeq.Children.Count)
            {
                return null;
            }

            if (probabilities.Count != values.Count)
            {
                r.Error(probSeq, $"{path}.probabilities: {probabilities.Count} probabilities for {values.Count} values");
                return null;
            }

            if (Math.Abs(probabilities.Sum() - 1) > 1e-6)
            {
                r.Error(probSeq, $"{path}.probabilities: must sum to 1, sum to {probabilities.Sum().ToString("R", CultureInfo.InvariantCulture)}");
                return null;
            }
        }

        return ParameterSpec.Categorical(name, values, probabilities);
    }

    private static object? ReadValue(YamlReader r, YamlNode node, string path)
    {
        if (node is YamlScalarNode scalar)
        {
            return YamlReader.Scalar(scalar);
        }

        r.Error(node, $"{path}: values must be scalars (text, numbers, booleans or null), found {YamlReader.Describe(node)}");
        return null;
    }

    private static string[] Required(DistributionKind kind) => kind switch
    {
        DistributionKind.Constant => ["value"],
        DistributionKind.Categorical => ["values"],
        DistributionKind.Normal or DistributionKind.QNormal or DistributionKind.LogNormal or DistributionKind.QLogNormal => [],
        _ => ["min", "max"],
    };

    private static string[] Optional(DistributionKind kind) => kind switch
    {
        DistributionKind.Categorical => ["probabilities"],
        DistributionKind.QUniform or DistributionKind.QLogUniform or DistributionKind.QLogUniformValues => ["q"],
        DistributionKind.Normal or DistributionKind.LogNormal => ["mu", "sigma"],
        DistributionKind.QNormal or DistributionKind.QLogNormal => ["mu", "sigma", "q"],
        _ => [],
    };

    private static string DistName(DistributionKind kind) => s_distributions.First(kv => kv.Value == kind).Key;
}
