using System.Text.Json;

namespace Serverless.Compute.AzureBatch;

/// <summary>
/// Reads Batch's error body. The documented shape is <c>{"code", "message": {"lang","value"},
/// "values": [{"key","value"}]}</c>; OData serializers may nest it under <c>odata.error</c> (or
/// <c>error</c>), so both are accepted. A body that is not JSON yields no code.
/// </summary>
internal sealed record BatchErrorBody(string? Code, string? Message, IReadOnlyDictionary<string, string> Values)
{
    public static BatchErrorBody Parse(BinaryData? content)
    {
        var empty = new Dictionary<string, string>();
        if (content is null || content.ToMemory().IsEmpty)
        {
            return new BatchErrorBody(null, null, empty);
        }

        try
        {
            using var doc = JsonDocument.Parse(content.ToMemory());
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new BatchErrorBody(null, null, empty);
            }

            if (root.TryGetProperty("odata.error", out var nested) || root.TryGetProperty("error", out nested))
            {
                root = nested;
            }

            var code = root.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
            string? message = null;
            if (root.TryGetProperty("message", out var m))
            {
                message = m.ValueKind switch
                {
                    JsonValueKind.String => m.GetString(),
                    JsonValueKind.Object when m.TryGetProperty("value", out var v) => v.GetString(),
                    _ => null,
                };
            }

            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            if (root.TryGetProperty("values", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in list.EnumerateArray())
                {
                    if (item.TryGetProperty("key", out var k) && k.GetString() is { } key)
                    {
                        values[key] = item.TryGetProperty("value", out var val) ? val.ToString() : string.Empty;
                    }
                }
            }

            return new BatchErrorBody(code, message, values);
        }
        catch (JsonException)
        {
            return new BatchErrorBody(null, content.ToString(), empty);
        }
    }
}
