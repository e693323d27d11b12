using System.Text.RegularExpressions;
using Serverless.Pipelines.Definition;
using Serverless.Pipelines.Expressions;
using Serverless.Pipelines.Yaml;

namespace Serverless.Pipelines.Parsing;

/// <summary>
/// Reads <c>pipeline.yaml</c> into a <see cref="PipelineDefinition"/>, collecting every problem with its
/// file, line and column, then runs <see cref="PipelineValidator"/> over the result.
/// </summary>
public static partial class PipelineParser
{
    private static readonly string[] s_topKeys = ["name", "description", "parameters", "steps", "build", "environment", "schedules"];
    private static readonly string[] s_paramKeys = ["type", "default", "description"];
    private static readonly string[] s_stepKeys =
        ["command", "description", "env", "inputs", "outputs", "needs", "when", "foreach", "retries", "timeout", "compute", "cache", "sweep"];
    private static readonly string[] s_inputKeys = ["from", "uri", "value", "type"];
    private static readonly string[] s_outputKeys = ["type", "description"];
    private static readonly string[] s_foreachKeys = ["items", "concurrency"];
    private static readonly string[] s_retryKeys = ["max_attempts", "backoff"];
    private static readonly string[] s_backoffKeys = ["initial", "max", "multiplier"];
    private static readonly string[] s_computeKeys = ["target", "resources"];
    private static readonly string[] s_resourceKeys = ["cpu", "memory", "gpu", "vm_size", "pool", "image"];
    private static readonly string[] s_environmentKeys = ["runtime", "image"];
    private static readonly string[] s_buildKeys = ["command", "inputs"];

    /// <summary>The keys each mapping of the format allows, for tooling that must agree with the parser (the JSON Schema).</summary>
    internal static IReadOnlyDictionary<string, string[]> KeySets { get; } = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["pipeline"] = s_topKeys,
        ["parameter"] = s_paramKeys,
        ["step"] = s_stepKeys,
        ["input"] = s_inputKeys,
        ["output"] = s_outputKeys,
        ["foreach"] = s_foreachKeys,
        ["retries"] = s_retryKeys,
        ["backoff"] = s_backoffKeys,
        ["compute"] = s_computeKeys,
        ["resources"] = s_resourceKeys,
        ["environment"] = s_environmentKeys,
        ["build"] = s_buildKeys,
    };

    /// <summary>Reads and validates the file at <paramref name="path"/>.</summary>
    /// <param name="path">The pipeline file.</param>
    /// <param name="displayPath">How to name the file in messages (defaults to <paramref name="path"/>).</param>
    public static PipelineParseResult ParseFile(string path, string? displayPath = null) =>
        Parse(File.ReadAllText(path), displayPath ?? path);

    /// <summary>Reads and validates the file at <paramref name="path"/>, throwing when it is invalid.</summary>
    /// <exception cref="PipelineValidationException">The pipeline has problems; all are listed.</exception>
    public static PipelineDefinition Load(string path, string? displayPath = null) =>
        ParseFile(path, displayPath).GetDefinitionOrThrow();

    /// <summary>Parses and validates YAML text.</summary>
    /// <param name="yaml">The file's content.</param>
    /// <param name="file">The file name used in messages.</param>
    public static PipelineParseResult Parse(string yaml, string file)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(file);
        var diagnostics = new List<PipelineDiagnostic>();
        var root = YamlTreeReader.Read(yaml, file, diagnostics);
        PipelineDefinition? definition = null;
        if (root is not null)
        {
            var reader = new ScalarReader(diagnostics);
            definition = ReadPipeline(root, file, reader);
            if (definition is not null)
            {
                diagnostics.AddRange(PipelineValidator.Validate(definition));
                diagnostics.AddRange(PipelineSectionChecks.Run(definition, yaml, file));
            }
        }

        var ordered = diagnostics
            .Distinct()
            .OrderBy(d => d.Mark.Line).ThenBy(d => d.Mark.Column).ThenBy(d => d.Message, StringComparer.Ordinal)
            .ToList();
        return new PipelineParseResult(ordered.Count == 0 ? definition : null, ordered);
    }

    private static PipelineDefinition? ReadPipeline(YNode root, string file, ScalarReader r)
    {
        if (r.Mapping(root, "the pipeline file") is not { } map)
        {
            return null;
        }

        CheckKeys(map, "the pipeline", s_topKeys, r);
        string? name = null;
        if (Find(map, "name") is { } nameNode)
        {
            name = r.String(nameNode, "'name'");
            if (name is not null && !PipelineNameRegex().IsMatch(name))
            {
                r.Error(nameNode.Mark, $"'name' must be lowercase letters, digits and dashes, starting with a letter (at most 63), but is '{name}'");
            }
        }
        else
        {
            r.Error(map.Mark, "the pipeline has no 'name'");
        }

        var parameters = new List<ParameterDefinition>();
        if (Find(map, "parameters") is { } paramsNode && r.Mapping(paramsNode, "'parameters'") is { } paramsMap)
        {
            foreach (var (key, value) in paramsMap.Entries)
            {
                if (ReadParameter(key, value, r) is { } p)
                {
                    parameters.Add(p);
                }
            }
        }

        var steps = new List<StepDefinition>();
        if (Find(map, "steps") is { } stepsNode)
        {
            if (r.Mapping(stepsNode, "'steps'") is { } stepsMap)
            {
                if (stepsMap.Entries.Count == 0)
                {
                    r.Error(stepsNode.Mark, "'steps' is empty; a pipeline needs at least one step");
                }

                foreach (var (key, value) in stepsMap.Entries)
                {
                    if (ReadStep(key, value, r) is { } s)
                    {
                        steps.Add(s);
                    }
                }
            }
        }
        else
        {
            r.Error(map.Mark, "the pipeline has no 'steps'");
        }

        var environment = new EnvironmentSpec();
        if (Find(map, "environment") is { } envNode && r.Mapping(envNode, "'environment'") is { } envMap)
        {
            CheckKeys(envMap, "'environment'", s_environmentKeys, r);
            environment = new EnvironmentSpec
            {
                Runtime = Find(envMap, "runtime") is { } rt ? r.String(rt, "'environment.runtime'") : null,
                Image = Find(envMap, "image") is { } im ? r.String(im, "'environment.image'") : null,
            };
        }

        var schedules = Find(map, "schedules");
        if (schedules is not null and not YSequence)
        {
            r.Error(schedules.Mark, $"'schedules' must be a list, but found {schedules.KindName}");
        }

        var (build, buildInputs) = Find(map, "build") is { } buildNode ? ReadBuild(buildNode, r) : (null, []);
        return new PipelineDefinition
        {
            Name = name ?? string.Empty,
            Description = Find(map, "description") is { } d ? r.String(d, "'description'") : null,
            Parameters = parameters,
            Steps = steps,
            Build = build,
            BuildInputs = buildInputs,
            Environment = environment,
            Schedules = schedules?.ToYamlNode(),
            SourceFile = file,
        };
    }

    private static ParameterDefinition? ReadParameter(YScalar key, YNode value, ScalarReader r)
    {
        var what = $"parameter '{key.Value}'";
        PipelineType? type = null;
        YNode? defaultNode = null;
        string? description = null;
        YNode? typeNode = null;
        if (value is YScalar scalar)
        {
            typeNode = scalar;
        }
        else if (r.Mapping(value, what) is { } map)
        {
            CheckKeys(map, what, s_paramKeys, r);
            typeNode = Find(map, "type");
            defaultNode = Find(map, "default");
            description = Find(map, "description") is { } d ? r.String(d, $"{what} description") : null;
        }
        else
        {
            return null;
        }

        if (typeNode is not null)
        {
            type = ReadType(typeNode, $"the type of {what}", allowArtifact: false, r);
            if (type is null)
            {
                return null;
            }
        }

        PipelineValue? defaultValue = null;
        if (defaultNode is not null && !(defaultNode is YScalar { IsNull: true }))
        {
            defaultValue = r.Value(defaultNode, type, $"the default of {what}");
            if (defaultValue is null)
            {
                return null;
            }
        }

        if (type is null)
        {
            if (defaultValue is null)
            {
                r.Error(key.Mark, $"{what} needs a 'type' or a 'default' to take the type from");
                return null;
            }

            type = defaultValue.Type;
        }

        return new ParameterDefinition
        {
            Name = key.Value,
            Type = type.Value,
            Default = defaultValue,
            Description = description,
            Mark = key.Mark,
        };
    }

    private static PipelineType? ReadType(YNode node, string what, bool allowArtifact, ScalarReader r)
    {
        var text = node is YScalar s ? s.Value : null;
        PipelineType? type = text switch
        {
            "string" => PipelineType.String,
            "int" or "integer" => PipelineType.Int,
            "number" or "float" => PipelineType.Number,
            "bool" or "boolean" => PipelineType.Bool,
            "list" => PipelineType.List,
            _ => null,
        };
        if (type is null)
        {
            var allowed = allowArtifact ? "artifact, string, int, number, bool or list" : "string, int, number, bool or list";
            r.Error(node.Mark, $"{what} must be one of {allowed}, but found {ScalarReader.Show(node)}");
        }

        return type;
    }

    private static StepDefinition? ReadStep(YScalar key, YNode value, ScalarReader r)
    {
        var name = key.Value;
        var what = $"step '{name}'";
        if (r.Mapping(value, what) is not { } map)
        {
            return null;
        }

        CheckKeys(map, what, s_stepKeys, r);
        var marks = new Dictionary<string, SourceMark>(StringComparer.Ordinal);
        string? command = null;
        if (Find(map, "command") is { } commandNode)
        {
            command = r.String(commandNode, $"the command of {what}");
            if (commandNode is YScalar cs)
            {
                marks["command"] = cs.ContentMark;
            }
        }
        else
        {
            r.Error(key.Mark, $"{what} has no 'command'");
        }

        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Find(map, "env") is { } envNode && r.Mapping(envNode, $"the env of {what}") is { } envMap)
        {
            foreach (var (k, v) in envMap.Entries)
            {
                if (!EnvNameRegex().IsMatch(k.Value))
                {
                    r.Error(k.Mark, $"environment variable name '{k.Value}' in {what} must be letters, digits and underscores, not starting with a digit");
                }
                else if (k.Value.StartsWith("SERVERLESS_", StringComparison.Ordinal))
                {
                    r.Error(k.Mark, $"environment variable '{k.Value}' in {what} uses the reserved prefix SERVERLESS_");
                }

                if (v is YScalar vs && !vs.IsNull)
                {
                    env[k.Value] = vs.Value;
                    marks["env." + k.Value] = vs.ContentMark;
                }
                else
                {
                    r.Error(v.Mark, $"environment variable '{k.Value}' in {what} must be text, but found {v.KindName}");
                }
            }
        }

        var inputs = new List<StepInput>();
        if (Find(map, "inputs") is { } inNode && r.Mapping(inNode, $"the inputs of {what}") is { } inMap)
        {
            foreach (var (k, v) in inMap.Entries)
            {
                if (ReadInput(k, v, what, r) is { } input)
                {
                    inputs.Add(input);
                }
            }
        }

        var outputs = new List<StepOutput>();
        if (Find(map, "outputs") is { } outNode && r.Mapping(outNode, $"the outputs of {what}") is { } outMap)
        {
            foreach (var (k, v) in outMap.Entries)
            {
                if (ReadOutput(k, v, what, r) is { } output)
                {
                    outputs.Add(output);
                }
            }
        }

        var needs = new List<string>();
        if (Find(map, "needs") is { } needsNode)
        {
            IEnumerable<YNode> items = needsNode is YSequence seq ? seq.Items : [needsNode];
            foreach (var item in items)
            {
                if (r.String(item, $"an entry of 'needs' in {what}") is { } n)
                {
                    needs.Add(n);
                    marks.TryAdd("needs." + n, item.Mark);
                }
            }
        }

        string? when = null;
        if (Find(map, "when") is { } whenNode)
        {
            when = whenNode is YScalar { IsPlain: true, Value: "true" or "false" } lit ? lit.Value : r.String(whenNode, $"the 'when' of {what}");
            if (whenNode is YScalar ws)
            {
                marks["when"] = ws.ContentMark;
            }
        }

        return new StepDefinition
        {
            Name = name,
            Command = command ?? string.Empty,
            Env = env,
            Inputs = inputs,
            Outputs = outputs,
            Needs = needs,
            When = when,
            ForEach = Find(map, "foreach") is { } fe ? ReadForEach(fe, what, marks, r) : null,
            Retries = Find(map, "retries") is { } rn ? ReadRetries(rn, what, r) : RetryPolicy.None,
            Timeout = Find(map, "timeout") is { } tn ? r.Duration(tn, $"the timeout of {what}") : null,
            Compute = Find(map, "compute") is { } cn ? ReadCompute(cn, what, r) : ComputeSpec.Local,
            Cache = Find(map, "cache") is not { } cacheNode || (r.Bool(cacheNode, $"'cache' of {what}") ?? true),
            Sweep = Find(map, "sweep")?.ToYamlNode(),
            FieldMarks = marks,
            Mark = key.Mark,
        };
    }

    private static bool IsStepOutputReference(string text)
    {
        try
        {
            var template = Template.Parse(text.Trim());
            return template.IsSingleExpression
                && template.Expressions.Single() is ReferenceExpression { Path: [ "steps", _, "outputs", _ ] };
        }
        catch (ExpressionException)
        {
            return false;
        }
    }

    private static YNode? Find(YMapping map, string key) =>
        map.Entries.FirstOrDefault(e => e.Key.Value == key).Value;

    private static void CheckKeys(YMapping map, string where, string[] allowed, ScalarReader r)
    {
        foreach (var (key, _) in map.Entries)
        {
            if (!allowed.Contains(key.Value))
            {
                var suggestion = Suggest(key.Value, allowed);
                r.Error(key.Mark, $"unknown key '{key.Value}' in {where}" +
                    (suggestion is null ? $"; allowed: {string.Join(", ", allowed)}" : $" (did you mean '{suggestion}'?)"));
            }
        }
    }

    private static string? Suggest(string key, string[] allowed) => NameSuggestions.Closest(key, allowed);

    [GeneratedRegex("^[a-z][a-z0-9-]{0,62}$")]
    private static partial Regex PipelineNameRegex();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex EnvNameRegex();
}
