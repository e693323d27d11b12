using System.Text.Json;
using System.Text.Json.Serialization;

namespace Serverless.Compute.AzureBatch;

/// <summary>The JSON conventions of the Batch wire format: camelCase names, absent rather than null.</summary>
internal static class BatchJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new IsoDurationConverter() },
    };
}
