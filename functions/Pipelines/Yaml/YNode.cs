using Serverless.Pipelines.Definition;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Serverless.Pipelines.Yaml;

/// <summary>
/// A YAML node with its source position. Our own small tree rather than YamlDotNet's representation
/// model, because that one rejects duplicate keys with an exception instead of letting us report them
/// alongside every other problem.
/// </summary>
internal abstract class YNode
{
    public required SourceMark Mark { get; init; }

    public abstract string KindName { get; }

    public abstract YamlNode ToYamlNode();
}

internal sealed class YScalar : YNode
{
    public required string Value { get; init; }

    public required ScalarStyle Style { get; init; }

    public bool IsPlain => Style is ScalarStyle.Plain or ScalarStyle.Any;

    public bool IsNull => IsPlain && Value is "" or "~" or "null" or "Null" or "NULL";

    /// <summary>The mark of the value's first character, usable with an offset for single-line scalars.</summary>
    public SourceMark ContentMark => Style switch
    {
        ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted when !Value.Contains('\n') =>
            Mark with { Column = Mark.Column + 1, Inline = true },
        ScalarStyle.Plain or ScalarStyle.Any when !Value.Contains('\n') => Mark with { Inline = true },
        _ => Mark,
    };

    public override string KindName => IsNull ? "nothing" : "a scalar";

    public override YamlNode ToYamlNode() => new YamlScalarNode(Value) { Style = Style };
}

internal sealed class YSequence : YNode
{
    public List<YNode> Items { get; } = [];

    public override string KindName => "a list";

    public override YamlNode ToYamlNode() => new YamlSequenceNode(Items.Select(i => i.ToYamlNode()));
}

internal sealed class YMapping : YNode
{
    public List<KeyValuePair<YScalar, YNode>> Entries { get; } = [];

    public override string KindName => "a mapping";

    public override YamlNode ToYamlNode()
    {
        var node = new YamlMappingNode();
        foreach (var (key, value) in Entries)
        {
            if (!node.Children.ContainsKey(new YamlScalarNode(key.Value)))
            {
                node.Add(key.ToYamlNode(), value.ToYamlNode());
            }
        }

        return node;
    }
}
