using System.Text.Json;

namespace Serverless.Orchestration.Http;

/// <summary>
/// Writes an execution's history the way Durable Functions' status API condenses it: PascalCase
/// fields, episode markers left out, and each scheduling event folded into its answer.
/// </summary>
/// <remarks>
/// Mapping from <see cref="HistoryEvent"/> (every event has <c>EventType</c> and <c>Timestamp</c>):
/// <list type="bullet">
/// <item><c>OrchestratorStarted</c>: left out (it only marks an episode).</item>
/// <item><c>ExecutionStarted</c>: <c>FunctionName</c>, <c>ParentInstanceId</c> for sub-orchestrations, <c>Input</c>.</item>
/// <item><c>TaskScheduled</c>, <c>SubOrchestrationCreated</c>: left out once answered; their name and time
/// appear on the answer as <c>FunctionName</c> and <c>ScheduledTime</c>. Unanswered ones are kept (with
/// <c>FunctionName</c>, <c>Input</c>, and <c>InstanceId</c> for sub-orchestrations) so a stuck instance shows what it waits for.</item>
/// <item><c>TaskCompleted</c>, <c>SubOrchestrationCompleted</c>: <c>FunctionName</c>, <c>ScheduledTime</c>, <c>Result</c>.</item>
/// <item><c>TaskFailed</c>, <c>SubOrchestrationFailed</c>: <c>FunctionName</c>, <c>ScheduledTime</c>, <c>Reason</c> (the message), <c>FailureDetails</c>.</item>
/// <item><c>TimerCreated</c>, <c>TimerFired</c>: <c>FireAt</c>.</item>
/// <item><c>EventRaised</c>: <c>Name</c>, <c>Input</c>. <c>EventSent</c>: <c>Name</c>, <c>InstanceId</c> (the target), <c>Input</c>.</item>
/// <item><c>ExecutionTerminated</c>, <c>ExecutionSuspended</c>, <c>ExecutionResumed</c>: <c>Reason</c>.</item>
/// <item><c>ExecutionCompleted</c>: <c>OrchestrationStatus</c> (a name), <c>Result</c>, <c>FailureDetails</c> when failed.</item>
/// </list>
/// <c>Input</c> and <c>Result</c> are payloads: written (as JSON values) only when <c>showHistoryOutput</c> is true.
/// Our event type names are used as they are (<c>SubOrchestrationCompleted</c> where Durable says
/// <c>SubOrchestrationInstanceCompleted</c>). Timestamps keep full precision (<c>yyyy-MM-ddTHH:mm:ss.fffffffZ</c>).
/// </remarks>
internal static class HistoryJson
{
    public static void Write(Utf8JsonWriter writer, IReadOnlyList<HistoryEvent> history, bool showOutput)
    {
        var scheduled = new Dictionary<int, HistoryEvent>();
        var answered = new HashSet<int>();
        foreach (var e in history)
        {
            if (e.Type is EventType.TaskScheduled or EventType.SubOrchestrationCreated or EventType.TimerCreated && e.EventId >= 0)
            {
                scheduled[e.EventId] = e;
            }
            else if (IsAnswer(e.Type))
            {
                answered.Add(e.TaskScheduledId);
            }
        }

        writer.WriteStartArray();
        foreach (var e in history)
        {
            if (e.Type == EventType.OrchestratorStarted ||
                (e.Type is EventType.TaskScheduled or EventType.SubOrchestrationCreated && answered.Contains(e.EventId)))
            {
                continue;
            }

            writer.WriteStartObject();
            writer.WriteString("EventType", e.Type.ToString());
            writer.WriteString("Timestamp", StatusJson.FormatPreciseTime(e.Timestamp));
            WriteFields(writer, e, scheduled.GetValueOrDefault(e.TaskScheduledId), showOutput);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static bool IsAnswer(EventType type) => type is EventType.TaskCompleted or EventType.TaskFailed
        or EventType.SubOrchestrationCompleted or EventType.SubOrchestrationFailed or EventType.TimerFired;

    private static void WriteFields(Utf8JsonWriter writer, HistoryEvent e, HistoryEvent? cause, bool showOutput)
    {
        switch (e.Type)
        {
            case EventType.ExecutionStarted:
                WriteString(writer, "FunctionName", e.Name);
                WriteString(writer, "ParentInstanceId", e.Parent?.InstanceId);
                WritePayload(writer, "Input", e.Input, showOutput);
                break;
            case EventType.TaskScheduled:
            case EventType.SubOrchestrationCreated:
                WriteString(writer, "FunctionName", e.Name);
                WriteString(writer, "InstanceId", e.InstanceId);
                WritePayload(writer, "Input", e.Input, showOutput);
                break;
            case EventType.TaskCompleted:
            case EventType.SubOrchestrationCompleted:
                WriteCause(writer, cause);
                WritePayload(writer, "Result", e.Result, showOutput);
                break;
            case EventType.TaskFailed:
            case EventType.SubOrchestrationFailed:
                WriteCause(writer, cause);
                WriteFailure(writer, e.Failure);
                break;
            case EventType.TimerCreated:
            case EventType.TimerFired:
                var fireAt = e.FireAt ?? cause?.FireAt;
                if (fireAt is { } at)
                {
                    writer.WriteString("FireAt", StatusJson.FormatPreciseTime(at));
                }

                break;
            case EventType.EventRaised:
                WriteString(writer, "Name", e.Name);
                WritePayload(writer, "Input", e.Input, showOutput);
                break;
            case EventType.EventSent:
                WriteString(writer, "Name", e.Name);
                WriteString(writer, "InstanceId", e.InstanceId);
                WritePayload(writer, "Input", e.Input, showOutput);
                break;
            case EventType.ExecutionTerminated:
            case EventType.ExecutionSuspended:
            case EventType.ExecutionResumed:
                WriteString(writer, "Reason", e.Reason);
                break;
            case EventType.ExecutionCompleted:
                WriteString(writer, "OrchestrationStatus", e.Status?.ToString());
                WritePayload(writer, "Result", e.Result, showOutput);
                WriteFailure(writer, e.Failure);
                break;
            default:
                break;
        }
    }

    private static void WriteCause(Utf8JsonWriter writer, HistoryEvent? cause)
    {
        if (cause is null)
        {
            return;
        }

        WriteString(writer, "FunctionName", cause.Name);
        writer.WriteString("ScheduledTime", StatusJson.FormatPreciseTime(cause.Timestamp));
    }

    private static void WriteFailure(Utf8JsonWriter writer, FailureDetails? failure)
    {
        if (failure is null)
        {
            return;
        }

        writer.WriteString("Reason", failure.Message);
        writer.WritePropertyName("FailureDetails");
        StatusJson.WriteFailure(writer, failure);
    }

    private static void WritePayload(Utf8JsonWriter writer, string name, string? json, bool show)
    {
        if (show && json is not null)
        {
            StatusJson.WritePayload(writer, name, json);
        }
    }

    private static void WriteString(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }
}
