using System.Globalization;
using Serverless.Pipelines.Attempts;
using Serverless.Pipelines.Definition;
using Serverless.Pipelines.Execution;
using Serverless.Pipelines.Parsing;
using Serverless.Pipelines.Planning;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Serverless.Sweeps.Orchestration;

/// <summary>
/// A swept step as the sweep orchestration needs it: the parsed <c>sweep:</c> block and a pure way to turn a
/// trial's parameters into the step attempt it runs. Everything here is a pure function of the
/// <see cref="SweepStepInput"/>, so the orchestrator may rebuild it on every replay.
/// </summary>
/// <remarks>
/// Naming rule: a sweep parameter overrides the pipeline parameter of the same name; a nested sweep
/// parameter (<c>optimizer: {parameters: {lr: …}}</c>, dotted name <c>optimizer.lr</c>) overrides the
/// pipeline parameter whose name is the dotted name with dots replaced by underscores
/// (<c>optimizer_lr</c>), since pipeline parameter names are identifiers.
/// </remarks>
public sealed class SweepStepDefinition
{
    private readonly SweepStepInput _input;
    private readonly PipelineDefinition _pipeline;
    private readonly IReadOnlyDictionary<string, string> _pipelineNames;

    private SweepStepDefinition(SweepStepInput input, PipelineDefinition pipeline, SweepConfig config, IReadOnlyDictionary<string, string> names)
    {
        _input = input;
        _pipeline = pipeline;
        Config = config;
        _pipelineNames = names;
    }

    /// <summary>The parsed sweep block.</summary>
    public SweepConfig Config { get; }

    /// <summary>The pipeline parameter a sweep parameter overrides (see the naming rule).</summary>
    public static string PipelineParameterName(string sweepParameter)
    {
        ArgumentNullException.ThrowIfNull(sweepParameter);
        return sweepParameter.Replace('.', '_');
    }

    /// <summary>
    /// Parses the definition and the step's sweep block. Returns the definition, or every problem found as
    /// <c>file:line:column: message</c> lines.
    /// </summary>
    public static (SweepStepDefinition? Definition, IReadOnlyList<string> Errors) Load(SweepStepInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var file = input.DefinitionFile;
        var parsed = PipelineParser.Parse(input.DefinitionYaml, file);
        if (!parsed.IsValid)
        {
            return (null, parsed.Diagnostics.Select(d => d.ToString()).DefaultIfEmpty($"{file}: the pipeline definition is invalid").ToList());
        }

        var pipeline = parsed.Definition!;
        var stepName = input.Base.Key.Step;
        if (pipeline.FindStep(stepName) is null)
        {
            return (null, [$"{file}: the pipeline has no step '{stepName}'"]);
        }

        var (config, names, problems) = Analyze(pipeline, input.DefinitionYaml, file, stepName);
        return config is null || problems.Count > 0
            ? (null, problems.Select(p => p.ToString()).ToList())
            : (new SweepStepDefinition(input, pipeline, config, names), []);
    }

    /// <summary>
    /// Checks the sweep block of every swept step in a parsed pipeline, for <see cref="PipelineSectionChecks"/>:
    /// the same checks a sweep runs before its first trial, so an invalid block is refused before the run starts.
    /// </summary>
    public static IEnumerable<PipelineDiagnostic> Validate(PipelineDefinition pipeline, string yaml, string file)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        return pipeline.Steps.Where(s => s.Sweep is not null).SelectMany(s => Analyze(pipeline, yaml, file, s.Name).Problems).ToList();
    }

    private static (SweepConfig? Config, Dictionary<string, string> Names, List<PipelineDiagnostic> Problems) Analyze(
        PipelineDefinition pipeline, string yaml, string file, string stepName)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var errors = new List<PipelineDiagnostic>();
        PipelineDiagnostic At(Mark mark, string message) => new(new SourceMark(file, (int)mark.Line, (int)mark.Column), message);
        var (node, keyMark) = FindSweepNode(yaml, stepName);
        if (node is null)
        {
            errors.Add(At(keyMark, $"step '{stepName}' has no 'sweep' block"));
            return (null, names, errors);
        }

        var result = SweepConfigParser.Parse(node, file);
        if (!result.Succeeded)
        {
            errors.AddRange(result.Errors.Select(e => new PipelineDiagnostic(new SourceMark(file, e.Line, e.Column), e.Message)));
            return (null, names, errors);
        }

        var config = result.Config!;
        foreach (var spec in config.Parameters)
        {
            var mark = ParameterMark(node, spec.Name);
            var target = PipelineParameterName(spec.Name);
            var declared = pipeline.FindParameter(target);
            if (declared is null)
            {
                errors.Add(At(mark, $"sweep parameter '{spec.Name}' overrides no pipeline parameter; declare '{target}' under the pipeline's parameters"));
                continue;
            }

            if (CheckType(spec, declared) is { } problem)
            {
                errors.Add(At(mark, $"sweep parameter '{spec.Name}': {problem}"));
                continue;
            }

            names[spec.Name] = target;
        }

        return (config, names, errors);
    }

    /// <summary>The run's parameters with the trial's values laid over them.</summary>
    /// <exception cref="InvalidOperationException">A value does not fit its pipeline parameter's type.</exception>
    public IReadOnlyDictionary<string, PipelineValue> TrialParameters(ParameterSet trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        var merged = new Dictionary<string, PipelineValue>(_input.Parameters, StringComparer.Ordinal);
        foreach (var (name, value) in trial)
        {
            var target = _pipelineNames[name];
            var type = _pipeline.FindParameter(target)!.Type;
            merged[target] = ToPipelineValue(value, type)
                ?? throw new InvalidOperationException($"sweep parameter '{name}' = {ParameterSet.FormatValue(value)} is not a valid {type.ToString().ToLowerInvariant()} for pipeline parameter '{target}'");
        }

        return merged;
    }

    /// <summary>
    /// Re-plans the step with the trial's parameters against the upstream results and returns the attempt
    /// the trial runs: the base attempt's run, package and attempt number, its own tracking run and blob prefix.
    /// </summary>
    /// <exception cref="InvalidOperationException">The step cannot be planned with these values.</exception>
    public StepAttemptInput TrialAttempt(ParameterSet trial, int number, TrackingContext? tracking)
    {
        var parameters = TrialParameters(trial);
        var planner = new PipelinePlanner(_pipeline, parameters);
        var results = _input.UpstreamResults.ToDictionary(kv => StepKey.Parse(kv.Key), kv => kv.Value);
        var plan = planner.Plan(new RunState { Results = results });
        var key = _input.Base.Key;
        var ready = plan.Ready.FirstOrDefault(r => r.Key == key);
        if (ready is null)
        {
            var state = plan.States.FirstOrDefault(s => s.Key == key);
            throw new InvalidOperationException(
                $"step '{key}' is not ready with the trial's parameters ({state?.Status.ToString() ?? "unknown"}{(state?.Reason is { } r ? ": " + r : string.Empty)})");
        }

        var b = _input.Base;
        return StepAttemptInput.From(ready, b.Attempt, b.RunId, b.Pipeline, b.PackageVersion, tracking) with
        {
            StepKey = b.StepKey,
            Timeout = b.Timeout ?? ready.Definition.Timeout,
            BlobPrefix = $"{b.BlobPrefix}/trial-{number.ToString(CultureInfo.InvariantCulture)}",
        };
    }

    private static string? CheckType(ParameterSpec spec, ParameterDefinition declared)
    {
        var type = declared.Type;
        var typeName = type.ToString().ToLowerInvariant();
        switch (spec.Kind)
        {
            case DistributionKind.Constant:
                return ToPipelineValue(spec.Value, type) is null
                    ? $"value {ParameterSet.FormatValue(spec.Value)} is not a valid {typeName} for pipeline parameter '{declared.Name}'"
                    : null;
            case DistributionKind.Categorical:
                var bad = spec.Values.FirstOrDefault(v => ToPipelineValue(v, type) is null);
                return bad is not null || spec.Values.Any(v => v is null)
                    ? $"value {ParameterSet.FormatValue(bad)} is not a valid {typeName} for pipeline parameter '{declared.Name}'"
                    : null;
            default:
                if (type == PipelineType.Int && !spec.IntegerValued)
                {
                    return $"pipeline parameter '{declared.Name}' is an int but {spec.Kind} samples reals; use int_uniform or an integer q";
                }

                return type is PipelineType.Int or PipelineType.Number or PipelineType.String
                    ? null
                    : $"pipeline parameter '{declared.Name}' is a {typeName}; a numeric distribution cannot fill it";
        }
    }

    private static PipelineValue? ToPipelineValue(object? value, PipelineType type)
    {
        PipelineValue? raw = value switch
        {
            long l => PipelineValue.FromInt(l),
            int i => PipelineValue.FromInt(i),
            double d => PipelineValue.FromNumber(d),
            bool b => PipelineValue.FromBool(b),
            string s => PipelineValue.FromString(s),
            _ => null,
        };
        if (raw is null)
        {
            return null;
        }

        return raw.CoerceTo(type)
            ?? (type == PipelineType.String ? PipelineValue.FromString(ParameterSet.FormatValue(value)) : null)
            ?? (raw.Type == PipelineType.String ? PipelineValue.Parse(raw.AsString(), type) : null);
    }

    /// <summary>Finds <c>steps.&lt;step&gt;.sweep</c> in the document with its positions kept.</summary>
    private static (YamlNode? Node, Mark KeyMark) FindSweepNode(string yaml, string stepName)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var steps = (YamlMappingNode)root.Children[new YamlScalarNode("steps")];
        var stepKey = steps.Children.Keys.First(k => k is YamlScalarNode s && s.Value == stepName);
        var step = steps.Children[stepKey] as YamlMappingNode;
        return step is not null && step.Children.TryGetValue(new YamlScalarNode("sweep"), out var sweep)
            ? (sweep, sweep.Start)
            : (null, stepKey.Start);
    }

    /// <summary>Where a (possibly nested) parameter is declared, for messages; the sweep block when not found.</summary>
    private static Mark ParameterMark(YamlNode sweep, string dottedName)
    {
        var node = sweep;
        var parts = dottedName.Split('.');
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            if (node is not YamlMappingNode map
                || !map.Children.TryGetValue(new YamlScalarNode("parameters"), out var parameters)
                || parameters is not YamlMappingNode pmap)
            {
                return node.Start;
            }

            var key = pmap.Children.Keys.FirstOrDefault(k => k is YamlScalarNode s && s.Value == part);
            if (key is null)
            {
                return pmap.Start;
            }

            if (i == parts.Length - 1)
            {
                return key.Start;
            }

            node = pmap.Children[key];
        }

        return node.Start;
    }
}
