using System.Globalization;
using System.Text.Json.Nodes;

namespace Serverless.Cli.Output;

/// <summary>Reads properties of the server's JSON documents as table cells.</summary>
internal static class JsonText
{
    /// <summary>A property as text (strings bare, other values as JSON), or empty when absent or null.</summary>
    public static string Get(JsonNode? node, string property) => node?[property] switch
    {
        null => string.Empty,
        JsonValue v => v.ToString(),
        var other => other.ToJsonString(),
    };

    /// <summary>An ISO timestamp property formatted for a table, or its raw text.</summary>
    public static string Time(JsonNode? node, string property)
    {
        var text = Get(node, property);
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? Formats.Time(t)
            : text;
    }

    /// <summary>A numeric property, or null.</summary>
    public static double? Number(JsonNode? node, string property) =>
        node?[property] is JsonValue v && v.TryGetValue<double>(out var d) ? d : null;
}
