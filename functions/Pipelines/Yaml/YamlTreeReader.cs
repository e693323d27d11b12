using Serverless.Pipelines.Definition;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Serverless.Pipelines.Yaml;

/// <summary>Reads one YAML document into a <see cref="YNode"/> tree from the parser's event stream.</summary>
internal static class YamlTreeReader
{
    /// <summary>Reads <paramref name="text"/>; syntax problems are added to <paramref name="diagnostics"/> and yield null.</summary>
    public static YNode? Read(string text, string file, List<PipelineDiagnostic> diagnostics)
    {
        var parser = new Parser(new StringReader(text));
        var anchors = new Dictionary<string, YNode>(StringComparer.Ordinal);
        try
        {
            parser.Consume<StreamStart>();
            if (parser.Accept<StreamEnd>(out _))
            {
                diagnostics.Add(new(new SourceMark(file, 1, 1), "the file is empty"));
                return null;
            }

            parser.Consume<DocumentStart>();
            var root = ReadNode(parser, file, anchors, diagnostics);
            parser.Consume<DocumentEnd>();
            if (parser.Accept<DocumentStart>(out var second))
            {
                diagnostics.Add(new(Mark(file, second.Start), "a pipeline file holds one YAML document; remove the second '---'"));
            }

            return root;
        }
        catch (YamlException ex)
        {
            diagnostics.Add(new(Mark(file, ex.Start), "YAML syntax error: " + CleanMessage(ex.Message)));
            return null;
        }
    }

    private static YNode ReadNode(IParser parser, string file, Dictionary<string, YNode> anchors, List<PipelineDiagnostic> diagnostics)
    {
        if (parser.TryConsume<AnchorAlias>(out var alias))
        {
            if (anchors.TryGetValue(alias.Value.Value, out var target))
            {
                return target;
            }

            throw new YamlException(alias.Start, alias.End, $"unknown alias '*{alias.Value.Value}'");
        }

        YNode node;
        string? anchor = null;
        if (parser.TryConsume<Scalar>(out var scalar))
        {
            anchor = scalar.Anchor.IsEmpty ? null : scalar.Anchor.Value;
            node = new YScalar { Mark = Mark(file, scalar.Start), Value = scalar.Value, Style = scalar.Style };
        }
        else if (parser.TryConsume<SequenceStart>(out var seqStart))
        {
            anchor = seqStart.Anchor.IsEmpty ? null : seqStart.Anchor.Value;
            var seq = new YSequence { Mark = Mark(file, seqStart.Start) };
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                seq.Items.Add(ReadNode(parser, file, anchors, diagnostics));
            }

            node = seq;
        }
        else if (parser.TryConsume<MappingStart>(out var mapStart))
        {
            anchor = mapStart.Anchor.IsEmpty ? null : mapStart.Anchor.Value;
            var map = new YMapping { Mark = Mark(file, mapStart.Start) };
            var seen = new HashSet<string>(StringComparer.Ordinal);
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                var keyNode = ReadNode(parser, file, anchors, diagnostics);
                var value = ReadNode(parser, file, anchors, diagnostics);
                if (keyNode is not YScalar key)
                {
                    diagnostics.Add(new(keyNode.Mark, "mapping keys must be plain names, not " + keyNode.KindName));
                    continue;
                }

                if (!seen.Add(key.Value))
                {
                    diagnostics.Add(new(key.Mark, $"duplicate key '{key.Value}'"));
                    continue;
                }

                map.Entries.Add(new(key, value));
            }

            node = map;
        }
        else
        {
            var current = parser.Current!;
            throw new YamlException(current.Start, current.End, $"unexpected YAML event {current.GetType().Name}");
        }

        if (anchor is not null)
        {
            anchors[anchor] = node;
        }

        return node;
    }

    private static SourceMark Mark(string file, Mark mark) => new(file, (int)mark.Line, (int)mark.Column);

    private static string CleanMessage(string message)
    {
        // YamlDotNet prefixes messages with its own "(Line: x, Col: y, Idx: z) - (…): " position; ours is in front already.
        var idx = message.LastIndexOf("): ", StringComparison.Ordinal);
        return idx >= 0 ? message[(idx + 3)..] : message;
    }
}
