using System.Globalization;
using System.Text.Json;

namespace Serverless.Sweeps.Orchestration.Tests;

/// <summary>Reads numbers from status views deserialized from JSON (values arrive as <see cref="JsonElement"/>).</summary>
internal static class Json
{
    public static double Number(object? value) => value switch
    {
        JsonElement { ValueKind: JsonValueKind.Number } e => e.GetDouble(),
        JsonElement e => throw new InvalidOperationException($"not a number: {e}"),
        string s => double.Parse(s, CultureInfo.InvariantCulture),
        _ => Convert.ToDouble(value, CultureInfo.InvariantCulture),
    };
}
