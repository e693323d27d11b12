using Serverless.Pipelines.Definition;
using Serverless.Pipelines.Yaml;

namespace Serverless.Pipelines.Parsing;

// The parts below the top level: a step's inputs, outputs, foreach, retries and compute, and the build.
public static partial class PipelineParser
{
    // 'build' is a command, or a mapping with the command and the paths outside the folder that it reads.
    private static (string? Command, IReadOnlyList<BuildInput> Inputs) ReadBuild(YNode node, ScalarReader r)
    {
        if (node is not YMapping map)
        {
            return (r.String(node, "'build'"), []);
        }

        CheckKeys(map, "'build'", s_buildKeys, r);
        string? command = null;
        if (Find(map, "command") is { } commandNode)
        {
            command = r.String(commandNode, "'build.command'");
        }
        else
        {
            r.Error(map.Mark, "'build' has no 'command'");
        }

        var inputs = new List<BuildInput>();
        if (Find(map, "inputs") is { } inputsNode)
        {
            IEnumerable<YNode> items = inputsNode is YSequence seq ? seq.Items : [inputsNode];
            foreach (var item in items)
            {
                if (r.String(item, "an entry of 'build.inputs'") is not { } path)
                {
                    continue;
                }

                if (path.Trim().Length == 0 || Path.IsPathRooted(path))
                {
                    r.Error(item.Mark, $"an entry of 'build.inputs' must be a path relative to the pipeline folder, but is '{path}'");
                }
                else
                {
                    inputs.Add(new BuildInput(path.Trim(), item.Mark));
                }
            }
        }

        return (command, inputs);
    }

    private static StepInput? ReadInput(YScalar key, YNode value, string step, ScalarReader r)
    {
        var what = $"input '{key.Value}' of {step}";
        if (value is YScalar s)
        {
            if (s.IsNull)
            {
                r.Error(value.Mark, $"{what} has no value; give a reference like ${{{{ steps.NAME.outputs.OUTPUT }}}}, a 'uri' or a 'value'");
                return null;
            }

            // A lone reference to a step output is the common case; anything else is a value template.
            var source = IsStepOutputReference(s.Value) ? InputSource.StepOutput : InputSource.Value;
            PipelineType? type = source == InputSource.Value && !s.Value.Contains("${{", StringComparison.Ordinal)
                ? r.Value(s, null, what)?.Type
                : null;
            return new StepInput { Name = key.Value, Source = source, Template = s.Value, ValueType = type, Mark = s.ContentMark };
        }

        if (r.Mapping(value, what) is not { } map)
        {
            return null;
        }

        CheckKeys(map, what, s_inputKeys, r);
        var sources = map.Entries.Where(e => e.Key.Value is "from" or "uri" or "value").ToList();
        if (sources.Count != 1)
        {
            r.Error(map.Mark, $"{what} needs exactly one of 'from', 'uri' or 'value'");
            return null;
        }

        PipelineType? declared = Find(map, "type") is { } typeNode ? ReadType(typeNode, $"the type of {what}", allowArtifact: false, r) : null;
        var (sourceKey, sourceNode) = sources[0];
        var mark = sourceNode is YScalar sc ? sc.ContentMark : sourceNode.Mark;
        switch (sourceKey.Value)
        {
            case "from":
                if (r.String(sourceNode, $"'from' of {what}") is not { } from)
                {
                    return null;
                }

                if (!IsStepOutputReference(from))
                {
                    r.Error(mark, $"'from' of {what} must be one reference like ${{{{ steps.NAME.outputs.OUTPUT }}}}, but is '{from}'");
                    return null;
                }

                return new StepInput { Name = key.Value, Source = InputSource.StepOutput, Template = from, ValueType = declared, Mark = mark };
            case "uri":
                return r.String(sourceNode, $"'uri' of {what}") is { } uri
                    ? new StepInput { Name = key.Value, Source = InputSource.Uri, Template = uri, Mark = mark }
                    : null;
            default:
                if (sourceNode is YScalar vs && vs.Value.Contains("${{", StringComparison.Ordinal))
                {
                    return new StepInput { Name = key.Value, Source = InputSource.Value, Template = vs.Value, ValueType = declared, Mark = mark };
                }

                if (r.Value(sourceNode, declared, $"'value' of {what}") is not { } literal)
                {
                    return null;
                }

                return new StepInput
                {
                    Name = key.Value,
                    Source = InputSource.Value,
                    Template = literal.Type == PipelineType.List ? "${{ " + literal.ToJson() + " }}" : literal.ToString(),
                    ValueType = declared ?? literal.Type,
                    Mark = mark,
                };
        }
    }

    private static StepOutput? ReadOutput(YScalar key, YNode value, string step, ScalarReader r)
    {
        var what = $"output '{key.Value}' of {step}";
        YNode? typeNode;
        string? description = null;
        if (value is YScalar s)
        {
            typeNode = s.IsNull ? null : s;
        }
        else if (r.Mapping(value, what) is { } map)
        {
            CheckKeys(map, what, s_outputKeys, r);
            typeNode = Find(map, "type");
            description = Find(map, "description") is { } d ? r.String(d, $"the description of {what}") : null;
        }
        else
        {
            return null;
        }

        if (typeNode is null || typeNode is YScalar { Value: "artifact" })
        {
            return new StepOutput { Name = key.Value, Kind = OutputKind.Artifact, Description = description, Mark = key.Mark };
        }

        return ReadType(typeNode, $"the type of {what}", allowArtifact: true, r) is { } t
            ? new StepOutput { Name = key.Value, Kind = OutputKind.Value, ValueType = t, Description = description, Mark = key.Mark }
            : null;
    }

    private static ForEachSpec? ReadForEach(YNode node, string step, Dictionary<string, SourceMark> marks, ScalarReader r)
    {
        var what = $"the foreach of {step}";
        var concurrency = 0;
        var itemsNode = node;
        if (node is YMapping map)
        {
            CheckKeys(map, what, s_foreachKeys, r);
            if (Find(map, "concurrency") is { } c)
            {
                concurrency = (int)(r.Int(c, $"'concurrency' of {what}", 0) ?? 0);
            }

            if (Find(map, "items") is not { } items)
            {
                r.Error(map.Mark, $"{what} has no 'items'");
                return null;
            }

            itemsNode = items;
        }

        switch (itemsNode)
        {
            case YSequence seq:
                var list = r.Value(seq, PipelineType.List, $"'items' of {what}");
                return list is null ? null : new ForEachSpec { Items = list.AsList(), Concurrency = concurrency, Mark = node.Mark };
            case YScalar s when !s.IsNull:
                marks["foreach"] = s.ContentMark;
                return new ForEachSpec { ItemsExpression = s.Value, Concurrency = concurrency, Mark = s.ContentMark };
            default:
                r.Error(itemsNode.Mark, $"'items' of {what} must be a list or an expression yielding a list, but found {itemsNode.KindName}");
                return null;
        }
    }

    private static RetryPolicy ReadRetries(YNode node, string step, ScalarReader r)
    {
        var what = $"the retries of {step}";
        if (node is YScalar)
        {
            // `retries: N` means N retries after the first attempt, as in Kubeflow's set_retry(num_retries).
            return r.Int(node, what, 0) is { } n ? new RetryPolicy { MaxAttempts = (int)n + 1 } : RetryPolicy.None;
        }

        if (r.Mapping(node, what) is not { } map)
        {
            return RetryPolicy.None;
        }

        CheckKeys(map, what, s_retryKeys, r);
        var policy = new RetryPolicy();
        if (Find(map, "max_attempts") is { } ma && r.Int(ma, $"'max_attempts' of {what}", 1) is { } attempts)
        {
            policy = policy with { MaxAttempts = (int)attempts };
        }

        if (Find(map, "backoff") is { } bn && r.Mapping(bn, $"'backoff' of {what}") is { } backoff)
        {
            CheckKeys(backoff, $"'backoff' of {what}", s_backoffKeys, r);
            if (Find(backoff, "initial") is { } i && r.Duration(i, $"'initial' backoff of {step}") is { } initial)
            {
                policy = policy with { InitialBackoff = initial };
            }

            if (Find(backoff, "max") is { } m && r.Duration(m, $"'max' backoff of {step}") is { } max)
            {
                policy = policy with { MaxBackoff = max };
            }

            if (Find(backoff, "multiplier") is { } x && r.Number(x, $"'multiplier' backoff of {step}", 1) is { } mult)
            {
                policy = policy with { Multiplier = mult };
            }

            if (policy.MaxBackoff < policy.InitialBackoff)
            {
                r.Error(backoff.Mark, $"'max' backoff of {step} is shorter than its 'initial' backoff");
            }
        }

        return policy;
    }

    private static ComputeSpec ReadCompute(YNode node, string step, ScalarReader r)
    {
        var what = $"the compute of {step}";
        YNode? targetNode = node;
        var resources = new ResourceRequest();
        if (node is YMapping map)
        {
            CheckKeys(map, what, s_computeKeys, r);
            targetNode = Find(map, "target");
            if (Find(map, "resources") is { } resNode && r.Mapping(resNode, $"'resources' of {what}") is { } res)
            {
                CheckKeys(res, $"'resources' of {what}", s_resourceKeys, r);
                resources = new ResourceRequest
                {
                    Cpu = Find(res, "cpu") is { } c ? r.Number(c, $"'cpu' of {step}", 0) : null,
                    MemoryBytes = Find(res, "memory") is { } m ? r.Memory(m, $"'memory' of {step}") : null,
                    Gpu = Find(res, "gpu") is { } g ? (int?)r.Int(g, $"'gpu' of {step}", 0) : null,
                    VmSize = Find(res, "vm_size") is { } v ? r.String(v, $"'vm_size' of {step}") : null,
                    Pool = Find(res, "pool") is { } p ? r.String(p, $"'pool' of {step}") : null,
                    Image = Find(res, "image") is { } im ? r.String(im, $"'image' of {step}") : null,
                };
            }
        }

        var target = ComputeTarget.Local;
        if (targetNode is not null)
        {
            switch (targetNode is YScalar s ? s.Value : null)
            {
                case "local":
                    break;
                case "batch":
                    target = ComputeTarget.Batch;
                    break;
                default:
                    r.Error(targetNode.Mark, $"the compute target of {step} must be 'local' or 'batch', but found {ScalarReader.Show(targetNode)}");
                    break;
            }
        }

        return new ComputeSpec { Target = target, Resources = resources };
    }
}
