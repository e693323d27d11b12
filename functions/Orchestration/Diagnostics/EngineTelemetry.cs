using System.Diagnostics;
using System.Diagnostics.Metrics;
using Serverless.Orchestration.AzureStorage;

namespace Serverless.Orchestration.Diagnostics;

/// <summary>
/// The engine's traces and metrics: a span per orchestration episode and per activity execution,
/// their durations and failures. Hosts export them by subscribing to <see cref="SourceName"/>.
/// </summary>
/// <remarks>
/// Built on <see cref="ActivitySource"/> and <see cref="Meter"/> only, so the engine needs no
/// OpenTelemetry package and costs nothing when no listener is attached.
/// </remarks>
public static class EngineTelemetry
{
    /// <summary>Name of the engine's <see cref="ActivitySource"/> and <see cref="Meter"/>.</summary>
    public const string SourceName = "Serverless.Orchestration";

    /// <summary>Span and tag attribute: the orchestration instance an episode or activity belongs to.</summary>
    public const string InstanceIdTag = "serverless.orchestration.instance_id";

    /// <summary>Tag attribute: the orchestrator's registered name.</summary>
    public const string OrchestrationNameTag = "serverless.orchestration.name";

    /// <summary>Tag attribute: the activity's registered name.</summary>
    public const string ActivityNameTag = "serverless.activity.name";

    /// <summary>Tag attribute: the error type of a failed episode or activity.</summary>
    public const string ErrorTypeTag = "error.type";

    /// <summary>Name of the episode span.</summary>
    public const string EpisodeSpanName = "orchestration.episode";

    /// <summary>Name of the activity span.</summary>
    public const string ActivitySpanName = "orchestration.activity";

    private static readonly ActivitySource s_source = new(SourceName);
    private static readonly Meter s_meter = new(SourceName);

    private static readonly Histogram<double> s_episodeDuration = s_meter.CreateHistogram<double>(
        "serverless.orchestration.episode.duration", "s", "Time to replay and checkpoint one orchestration episode.");

    private static readonly Histogram<double> s_activityDuration = s_meter.CreateHistogram<double>(
        "serverless.orchestration.activity.duration", "s", "Time one activity execution ran.");

    private static readonly Counter<long> s_episodeFailures = s_meter.CreateCounter<long>(
        "serverless.orchestration.episode.failures", "{episode}", "Episodes that failed or lost their checkpoint and will be retried.");

    private static readonly Counter<long> s_activityFailures = s_meter.CreateCounter<long>(
        "serverless.orchestration.activity.failures", "{activity}", "Activity executions that reported a failure to their orchestration.");

    /// <summary>The names of a hub's queues (control partitions and work items), for depth sampling.</summary>
    public static IReadOnlyList<string> QueueNames(TaskHubOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var names = new TaskHubNames(options.TaskHubName, options.PartitionCount);
        return [.. names.ControlQueues, names.WorkItemQueue];
    }

    /// <summary>Starts the span and timer of one episode; dispose it when the episode ends.</summary>
    internal static TelemetryScope StartEpisode(string instanceId, int messageCount)
    {
        var span = s_source.StartActivity(EpisodeSpanName, ActivityKind.Internal);
        span?.SetTag(InstanceIdTag, instanceId);
        span?.SetTag("serverless.orchestration.messages", messageCount);
        return new TelemetryScope(span, s_episodeDuration, s_episodeFailures, null);
    }

    /// <summary>Names the orchestrator on the current episode span once its state is loaded.</summary>
    internal static void TagOrchestration(string name) => Activity.Current?.SetTag(OrchestrationNameTag, name);

    /// <summary>Starts the span and timer of one activity execution.</summary>
    internal static TelemetryScope StartActivity(string? name, string instanceId)
    {
        var span = s_source.StartActivity(ActivitySpanName, ActivityKind.Internal);
        span?.SetTag(InstanceIdTag, instanceId);
        span?.SetTag(ActivityNameTag, name);
        return new TelemetryScope(span, s_activityDuration, s_activityFailures, new KeyValuePair<string, object?>(ActivityNameTag, name));
    }
}
