using System.Globalization;

namespace Serverless.Sweeps.Orchestration;

/// <summary>
/// Parameter sets in a form that survives JSON unchanged. JSON alone would turn the real 2.0 into the integer
/// 2, and samplers compare categorical choices by type and value, so each value carries its type:
/// <c>i:5</c>, <c>d:0.1</c>, <c>s:adam</c>, <c>b:true</c>, <c>n:</c>.
/// </summary>
internal static class ParameterCodec
{
    public static Dictionary<string, string> Encode(ParameterSet parameters) =>
        parameters.ToDictionary(kv => kv.Key, kv => EncodeValue(kv.Value), StringComparer.Ordinal);

    public static ParameterSet Decode(IReadOnlyDictionary<string, string> encoded) =>
        new(encoded.Select(kv => new KeyValuePair<string, object?>(kv.Key, DecodeValue(kv.Value))));

    private static string EncodeValue(object? value) => value switch
    {
        null => "n:",
        long l => "i:" + l.ToString(CultureInfo.InvariantCulture),
        int i => "i:" + i.ToString(CultureInfo.InvariantCulture),
        double d => "d:" + d.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "b:true" : "b:false",
        string s => "s:" + s,
        _ => throw new ArgumentException($"unsupported parameter value type {value.GetType().Name}", nameof(value)),
    };

    private static object? DecodeValue(string text) => text[..2] switch
    {
        "n:" => null,
        "i:" => long.Parse(text.AsSpan(2), NumberStyles.Integer, CultureInfo.InvariantCulture),
        "d:" => double.Parse(text.AsSpan(2), NumberStyles.Float, CultureInfo.InvariantCulture),
        "b:" => text == "b:true",
        "s:" => text[2..],
        _ => throw new FormatException($"'{text}' is not an encoded parameter value"),
    };
}
