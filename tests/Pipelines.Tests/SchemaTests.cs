using System.Text.Json;
using Serverless.Pipelines.Parsing;
using Serverless.Testing;

namespace Serverless.Pipelines.Tests;

/// <summary>docs/pipeline.schema.json must allow exactly the keys the parser allows, so editors and the platform agree.</summary>
public sealed class SchemaTests
{
    private static readonly JsonElement s_schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "pipeline.schema.json"))).RootElement;

    public static TheoryData<string, string> Mappings() => new()
    {
        { "pipeline", "$" },
        { "parameter", "$defs.parameter.anyOf[1]" },
        { "step", "$defs.step" },
        { "input", "$defs.input.anyOf[1]" },
        { "output", "$defs.output.anyOf[2]" },
        { "foreach", "$defs.step.properties.foreach.anyOf[2]" },
        { "retries", "$defs.step.properties.retries.anyOf[1]" },
        { "backoff", "$defs.step.properties.retries.anyOf[1].properties.backoff" },
        { "compute", "$defs.step.properties.compute.anyOf[1]" },
        { "resources", "$defs.step.properties.compute.anyOf[1].properties.resources" },
        { "environment", "properties.environment" },
        { "build", "properties.build.anyOf[1]" },
    };

    [Theory]
    [MemberData(nameof(Mappings))]
    public void Schema_MappingAllowsExactlyTheParsersKeys(string mapping, string path)
    {
        var node = Navigate(path);

        Assert.False(node.GetProperty("additionalProperties").GetBoolean());
        Assert.Equal(
            PipelineParser.KeySets[mapping].Order(StringComparer.Ordinal),
            node.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
    }

    private static JsonElement Navigate(string path)
    {
        var node = s_schema;
        if (path == "$")
        {
            return node;
        }

        foreach (var part in path.Split('.'))
        {
            var bracket = part.IndexOf('[', StringComparison.Ordinal);
            if (bracket < 0)
            {
                node = node.GetProperty(part);
            }
            else
            {
                node = node.GetProperty(part[..bracket])[int.Parse(part[(bracket + 1)..^1], System.Globalization.CultureInfo.InvariantCulture)];
            }
        }

        return node;
    }
}
