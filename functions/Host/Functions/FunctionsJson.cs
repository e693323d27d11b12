using System.Text.Json;

namespace Serverless.Host.Functions;

/// <summary>JSON settings of the custom-handler payloads: property names exactly as documented (PascalCase).</summary>
public static class FunctionsJson
{
    /// <summary>PascalCase out, case-insensitive in.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.General) { PropertyNameCaseInsensitive = true };
}
