using System.Globalization;
using System.Text.Json;

namespace Serverless.Orchestration.Http;

/// <summary>
/// Writes an instance's status in Durable Functions' shape: <c>name, instanceId, runtimeStatus, input,
/// customStatus, output, createdTime, lastUpdatedTime</c>, plus <c>failureDetails</c> for failed
/// instances and <c>historyEvents</c> when asked for.
/// </summary>
/// <remarks>
/// Payloads are stored as JSON text; they are embedded as JSON values so clients need not parse a
/// string inside a string, and written as strings only when the stored text is not valid JSON.
/// </remarks>
internal static class StatusJson
{
    /// <summary>Times in status bodies: whole seconds, UTC, as Durable Functions writes them.</summary>
    public static string FormatTime(DateTime time) =>
        AsUtc(time).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Times of history events keep every digit, so events in the same second stay ordered.</summary>
    public static string FormatPreciseTime(DateTime time) =>
        AsUtc(time).ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    public static void Write(Utf8JsonWriter writer, OrchestrationMetadata instance, bool showInput,
        IReadOnlyList<HistoryEvent>? history = null, bool showHistoryOutput = false)
    {
        writer.WriteStartObject();
        writer.WriteString("name", instance.Name);
        writer.WriteString("instanceId", instance.InstanceId);
        writer.WriteString("runtimeStatus", instance.RuntimeStatus.ToString());
        WritePayload(writer, "input", showInput ? instance.SerializedInput : null);
        WritePayload(writer, "customStatus", instance.SerializedCustomStatus);
        if (instance.RuntimeStatus == OrchestrationStatus.Failed && instance.SerializedOutput is null)
        {
            // Durable Functions reports a failure as a message in output; tools that only read output still see why.
            var reason = instance.Failure?.Message ?? "no failure details were recorded";
            writer.WriteString("output", $"Orchestrator function '{instance.Name}' failed: {reason}");
        }
        else
        {
            WritePayload(writer, "output", instance.SerializedOutput);
        }

        writer.WriteString("createdTime", FormatTime(instance.CreatedAt));
        writer.WriteString("lastUpdatedTime", FormatTime(instance.LastUpdatedAt));
        if (instance.Failure is { } failure)
        {
            writer.WritePropertyName("failureDetails");
            WriteFailure(writer, failure);
        }

        if (history is not null)
        {
            writer.WritePropertyName("historyEvents");
            HistoryJson.Write(writer, history, showHistoryOutput);
        }

        writer.WriteEndObject();
    }

    /// <summary>Writes stored JSON text as a JSON value; text that is not valid JSON becomes a string.</summary>
    public static void WritePayload(Utf8JsonWriter writer, string name, string? json)
    {
        writer.WritePropertyName(name);
        WritePayloadValue(writer, json);
    }

    public static void WritePayloadValue(Utf8JsonWriter writer, string? json)
    {
        if (json is null)
        {
            writer.WriteNullValue();
        }
        else if (JsonText.IsValid(json))
        {
            writer.WriteRawValue(json, skipInputValidation: true);
        }
        else
        {
            writer.WriteStringValue(json);
        }
    }

    public static void WriteFailure(Utf8JsonWriter writer, FailureDetails failure)
    {
        writer.WriteStartObject();
        writer.WriteString("errorType", failure.ErrorType);
        writer.WriteString("message", failure.Message);
        if (failure.StackTrace is { } stack)
        {
            writer.WriteString("stackTrace", stack);
        }

        if (failure.Inner is { } inner)
        {
            writer.WritePropertyName("inner");
            WriteFailure(writer, inner);
        }

        writer.WriteEndObject();
    }

    private static DateTime AsUtc(DateTime time) => time.Kind switch
    {
        DateTimeKind.Utc => time,
        DateTimeKind.Local => time.ToUniversalTime(),
        _ => DateTime.SpecifyKind(time, DateTimeKind.Utc),
    };
}
