using System.Text.Json;
using System.Text.Json.Serialization;

namespace Serverless.Pipelines.Definition;

/// <summary>
/// Writes a <see cref="PipelineValue"/> as its plain JSON form (string, number, bool or array) so that values
/// travel through orchestration inputs and outputs unchanged. An integer stays an integer on the way back.
/// </summary>
public sealed class PipelineValueJsonConverter : JsonConverter<PipelineValue>
{
    /// <inheritdoc />
    public override PipelineValue? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        if (document.RootElement.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return PipelineValue.FromJson(document.RootElement)
            ?? throw new JsonException($"a pipeline value must be a string, number, bool or list, not {document.RootElement.ValueKind}");
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, PipelineValue value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        value.WriteJson(writer);
    }
}
