using System.Text.Json;
using System.Text.Json.Serialization;
using System.Xml;

namespace Serverless.Compute.AzureBatch;

/// <summary>Batch sends and expects durations as ISO 8601 (<c>PT12H</c>, <c>P2D</c>), not .NET's <c>12:00:00</c>.</summary>
internal sealed class IsoDurationConverter : JsonConverter<TimeSpan>
{
    public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        try
        {
            return XmlConvert.ToTimeSpan(text ?? string.Empty);
        }
        catch (FormatException ex)
        {
            throw new JsonException($"'{text}' is not an ISO 8601 duration.", ex);
        }
    }

    public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) =>
        writer.WriteStringValue(XmlConvert.ToString(value));
}
