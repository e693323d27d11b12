using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Serverless.Sweeps;

/// <summary>
/// Reads a sweep block (the keys of W&amp;B's sweep configuration, plus <c>sampler</c>, <c>seed</c> and
/// <c>limits</c>) from YAML and reports every problem with file, line and column.
/// </summary>
public static class SweepConfigParser
{
    // W&B keys that describe how W&B launches the program; a pasted configuration keeps them, and they
    // mean nothing here because the pipeline step says what runs.
    private static readonly string[] s_ignoredKeys = ["name", "description", "program", "command", "project", "entity"];

    private static readonly string[] s_limitKeys = ["max_trials", "max_concurrent_trials", "max_failed_trials", "timeout"];

    private static readonly string[] s_topKeys =
        ["method", "sampler", "metric", "parameters", "early_terminate", "run_cap", "limits", "seed", .. s_limitKeys, .. s_ignoredKeys];

    /// <summary>Parses YAML text whose root is the sweep mapping.</summary>
    public static SweepConfigParseResult Parse(string yaml, string file)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            return new SweepConfigParseResult(null, [new SweepConfigError(file, (int)ex.Start.Line, (int)ex.Start.Column, $"invalid YAML: {ex.Message}")]);
        }

        if (stream.Documents.Count == 0)
        {
            return new SweepConfigParseResult(null, [new SweepConfigError(file, 1, 1, "sweep: the document is empty")]);
        }

        return Parse(stream.Documents[0].RootNode, file);
    }

    /// <summary>Parses the <c>sweep:</c> mapping node of a pipeline step (or any node holding a sweep block).</summary>
    public static SweepConfigParseResult Parse(YamlNode node, string file)
    {
        ArgumentNullException.ThrowIfNull(node);
        var reader = new YamlReader(file);
        var config = Read(reader, node);
        if (config is not null && reader.Errors.Count == 0)
        {
            // Cross-field rules are checked once, in code, so YAML and C# construction agree; their errors
            // point at the sweep block itself.
            foreach (var e in config.Validate(file))
            {
                reader.Error(node, e.Message);
            }
        }

        return reader.Errors.Count == 0
            ? new SweepConfigParseResult(config, [])
            : new SweepConfigParseResult(null, [.. reader.Errors.OrderBy(e => e.Line).ThenBy(e => e.Column)]);
    }

    private static SweepConfig? Read(YamlReader r, YamlNode node)
    {
        if (r.AsMapping(node, "sweep") is not { } map)
        {
            return null;
        }

        var e = r.Entries(map, string.Empty, s_topKeys);
        var config = new SweepConfig();

        if (e.TryGetValue("method", out var method))
        {
            switch (r.String(method.Value, "method"))
            {
                case "random": config = config with { Method = SweepMethod.Random }; break;
                case "grid": config = config with { Method = SweepMethod.Grid }; break;
                case "bayes": config = config with { Method = SweepMethod.Bayes }; break;
                case { } other: r.Error(method.Value, $"method: '{other}' is not supported; use random, grid or bayes"); break;
                default: break;
            }
        }
        else
        {
            r.Error(map, "method: required (random, grid or bayes)");
        }

        if (e.TryGetValue("sampler", out var sampler))
        {
            switch (r.String(sampler.Value, "sampler"))
            {
                case "tpe": config = config with { Sampler = BayesSampler.Tpe }; break;
                case "multivariate_tpe": config = config with { Sampler = BayesSampler.MultivariateTpe }; break;
                case "gp": config = config with { Sampler = BayesSampler.GaussianProcess }; break;
                case { } other: r.Error(sampler.Value, $"sampler: '{other}' is not supported; use tpe, multivariate_tpe or gp"); break;
                default: break;
            }

            if (config.Method != SweepMethod.Bayes && e.ContainsKey("method"))
            {
                r.Error(sampler.Key, "sampler: only applies to method: bayes");
            }
        }

        if (e.TryGetValue("seed", out var seed) && r.Integer(seed.Value, "seed") is { } seedValue)
        {
            config = config with { Seed = seedValue };
        }

        if (e.TryGetValue("metric", out var metric))
        {
            config = config with { Metric = ReadMetric(r, metric.Value) };
        }

        if (e.TryGetValue("parameters", out var parameters))
        {
            var list = new List<ParameterSpec>();
            ParameterParser.ReadParameters(r, parameters.Value, string.Empty, list);
            config = config with { Parameters = list };
        }
        else
        {
            r.Error(map, "parameters: required");
        }

        if (e.TryGetValue("early_terminate", out var early))
        {
            config = ReadEarlyTerminate(r, early.Value, config);
        }

        config = config with { Limits = ReadLimits(r, e) };
        return config;
    }

    private static SweepMetric? ReadMetric(YamlReader r, YamlNode node)
    {
        if (r.AsMapping(node, "metric") is not { } map)
        {
            return null;
        }

        var e = r.Entries(map, "metric", ["name", "goal", "target", "impute"]);
        string? name = null;
        var goal = MetricGoal.Minimize;
        double? target = null;
        if (e.TryGetValue("name", out var n))
        {
            name = r.String(n.Value, "metric.name");
            if (name is { Length: 0 })
            {
                r.Error(n.Value, "metric.name: must not be empty");
            }
        }
        else
        {
            r.Error(map, "metric.name: required");
        }

        if (e.TryGetValue("goal", out var g))
        {
            switch (r.String(g.Value, "metric.goal"))
            {
                case "minimize": goal = MetricGoal.Minimize; break;
                case "maximize": goal = MetricGoal.Maximize; break;
                case { } other: r.Error(g.Value, $"metric.goal: '{other}' is not a goal; use minimize or maximize"); break;
                default: break;
            }
        }

        if (e.TryGetValue("target", out var t))
        {
            target = r.Number(t.Value, "metric.target");
        }

        if (e.TryGetValue("impute", out var impute) && r.String(impute.Value, "metric.impute") is { } imputeValue && imputeValue != "worst")
        {
            r.Error(impute.Value, $"metric.impute: '{imputeValue}' is not supported; failed trials are imputed as the worst value");
        }

        return string.IsNullOrEmpty(name) ? null : new SweepMetric(name, goal, target);
    }

    private static SweepConfig ReadEarlyTerminate(YamlReader r, YamlNode node, SweepConfig config)
    {
        if (r.AsMapping(node, "early_terminate") is not { } map)
        {
            return config;
        }

        string[] keys = ["type", "min_iter", "max_iter", "s", "eta", "strict", "evaluation_interval", "delay_evaluation", "start_step", "min_trials", "min_trials_required"];
        var e = r.Entries(map, "early_terminate", keys);
        if (!e.TryGetValue("type", out var typeNode))
        {
            r.Error(map, "early_terminate.type: required (hyperband or median)");
            return config;
        }

        var type = r.String(typeNode.Value, "early_terminate.type");
        string[] hyperbandKeys = ["type", "min_iter", "max_iter", "s", "eta", "strict"];
        string[] medianKeys = ["type", "evaluation_interval", "delay_evaluation", "start_step", "min_trials", "min_trials_required"];
        var allowed = type switch { "hyperband" => hyperbandKeys, "median" => medianKeys, _ => null };
        if (type is not null && allowed is null)
        {
            r.Error(typeNode.Value, $"early_terminate.type: '{type}' is not supported; use hyperband or median");
            return config;
        }

        if (allowed is null)
        {
            return config;
        }

        foreach (var (key, (keyNode, _)) in e)
        {
            if (!allowed.Contains(key))
            {
                r.Error(keyNode, $"early_terminate.{key}: does not apply to type {type}");
            }
        }

        long? Int(string key, long min) => e.TryGetValue(key, out var v) ? r.Integer(v.Value, $"early_terminate.{key}", min) : null;

        if (type == "hyperband")
        {
            var minIter = Int("min_iter", 1);
            var maxIter = Int("max_iter", 1);
            var s = Int("s", 1);
            double eta = 3;
            if (e.TryGetValue("eta", out var etaNode) && r.Number(etaNode.Value, "early_terminate.eta") is { } etaValue)
            {
                if (etaValue <= 1)
                {
                    r.Error(etaNode.Value, $"early_terminate.eta: must be greater than 1, found {etaValue.ToString(CultureInfo.InvariantCulture)}");
                }

                eta = etaValue;
            }

            if (e.ContainsKey("min_iter") == e.ContainsKey("max_iter"))
            {
                r.Error(map, "early_terminate: hyperband needs exactly one of min_iter or max_iter");
            }

            if (e.TryGetValue("s", out var sNode) && e.ContainsKey("min_iter"))
            {
                r.Error(sNode.Key, "early_terminate.s: only applies with max_iter");
            }

            return config with
            {
                Hyperband = new HyperbandConfig { MinIter = (int?)minIter, MaxIter = (int?)maxIter, S = (int)(s ?? 1), Eta = eta },
            };
        }

        if (e.ContainsKey("delay_evaluation") && e.ContainsKey("start_step"))
        {
            r.Error(map, "early_terminate: delay_evaluation and start_step are the same setting; give one");
        }

        if (e.ContainsKey("min_trials") && e.ContainsKey("min_trials_required"))
        {
            r.Error(map, "early_terminate: min_trials and min_trials_required are the same setting; give one");
        }

        var median = new MedianStoppingConfig
        {
            EvaluationInterval = (int)(Int("evaluation_interval", 1) ?? 1),
            DelayEvaluation = (int)(Int("delay_evaluation", 0) ?? Int("start_step", 0) ?? 0),
            MinTrials = (int)(Int("min_trials", 1) ?? Int("min_trials_required", 1) ?? 3),
        };
        return config with { MedianStopping = median };
    }

    private static SweepLimits ReadLimits(YamlReader r, Dictionary<string, (YamlScalarNode Key, YamlNode Value)> top)
    {
        var entries = new Dictionary<string, (YamlScalarNode Key, YamlNode Value, string Path)>(StringComparer.Ordinal);
        foreach (var key in s_limitKeys)
        {
            if (top.TryGetValue(key, out var v))
            {
                entries[key] = (v.Key, v.Value, key);
            }
        }

        if (top.TryGetValue("run_cap", out var runCap))
        {
            if (entries.ContainsKey("max_trials"))
            {
                r.Error(runCap.Key, "run_cap: same as max_trials; give one");
            }

            entries["max_trials"] = (runCap.Key, runCap.Value, "run_cap");
        }

        if (top.TryGetValue("limits", out var limitsNode) && r.AsMapping(limitsNode.Value, "limits") is { } limitsMap)
        {
            foreach (var (key, (keyNode, valueNode)) in r.Entries(limitsMap, "limits", s_limitKeys))
            {
                if (entries.ContainsKey(key))
                {
                    r.Error(keyNode, $"limits.{key}: already given at the top of the sweep block");
                    continue;
                }

                entries[key] = (keyNode, valueNode, $"limits.{key}");
            }
        }

        int? Int(string key) => entries.TryGetValue(key, out var v) ? (int?)r.Integer(v.Value, v.Path, 1) : null;
        TimeSpan? timeout = null;
        if (entries.TryGetValue("timeout", out var t))
        {
            timeout = ReadDuration(r, t.Value, t.Path);
        }

        return new SweepLimits
        {
            MaxTrials = Int("max_trials"),
            MaxConcurrentTrials = Int("max_concurrent_trials"),
            MaxFailedTrials = Int("max_failed_trials"),
            Timeout = timeout,
        };
    }

    private static TimeSpan? ReadDuration(YamlReader r, YamlNode node, string path)
    {
        if (node is YamlScalarNode scalar)
        {
            var value = YamlReader.Scalar(scalar);
            if (value is long seconds && seconds > 0)
            {
                return TimeSpan.FromSeconds(seconds);
            }

            if (value is string text && text.Length > 1)
            {
                var unit = text[^1];
                if (double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) && amount > 0)
                {
                    switch (unit)
                    {
                        case 's': return TimeSpan.FromSeconds(amount);
                        case 'm': return TimeSpan.FromMinutes(amount);
                        case 'h': return TimeSpan.FromHours(amount);
                        case 'd': return TimeSpan.FromDays(amount);
                        default: break;
                    }
                }

                if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) && span > TimeSpan.Zero)
                {
                    return span;
                }
            }
        }

        r.Error(node, $"{path}: expected a positive duration (seconds as an integer, or like 90s, 30m, 2h, 1d, 01:30:00), found {YamlReader.Describe(node)}");
        return null;
    }
}
