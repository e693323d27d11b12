using Serverless.Orchestration.AzureStorage;

namespace Serverless.Host.Functions;

/// <summary>
/// The one list of the app's functions. Publishing writes a <c>function.json</c> folder for each entry;
/// local mode runs the same timer and queue entries itself; a test checks every served route against it.
/// </summary>
public sealed class FunctionCatalog
{
    /// <summary>The timer that keeps the engine (and the schedules it runs) ticking while the app is otherwise idle.</summary>
    public const string EngineTick = "EngineTick";

    /// <summary>The queue trigger that starts an instance when work is waiting and keeps it while work remains.</summary>
    public const string EngineWake = "EngineWake";

    /// <summary>Binding name of the wake function's queue output, used to re-post a wake message while work remains.</summary>
    public const string WakeOutput = "wakeOut";

    /// <summary>Every minute: a durable timer that falls due while no instance runs is at most this late (plus a cold start).</summary>
    public const string TickSchedule = "0 */1 * * * *";

    private static readonly string[] s_allMethods = ["get", "post", "put", "patch", "delete"];

    /// <summary>Builds the catalog for a task hub (the wake queue's name depends on it).</summary>
    public FunctionCatalog(TaskHubOptions hub)
    {
        ArgumentNullException.ThrowIfNull(hub);
        WakeQueueName = WakeQueue(hub.TaskHubName);
        Http =
        [
            new("Health", "health", ["get"], "anonymous"),
            new("DurableManagement", "runtime/webhooks/durabletask/{*path}", s_allMethods, "function"),
            // The artifact routes come before the wider MLflow ones: FindHttp takes the first match, as the
            // Functions host prefers the more specific route. The wider ones end in a catch-all so that an
            // unknown MLflow path still reaches us and gets MLflow's ENDPOINT_NOT_FOUND body.
            new("MlflowArtifacts", "api/2.0/mlflow-artifacts/{*path}", s_allMethods, "function"),
            new("MlflowAjaxArtifacts", "ajax-api/2.0/mlflow-artifacts/{*path}", s_allMethods, "function"),
            new("MlflowApi", "api/2.0/{*path}", s_allMethods, "function"),
            new("MlflowAjaxApi", "ajax-api/2.0/{*path}", s_allMethods, "function"),
            new("MlflowVersion", "version", ["get"], "function"),
            new("Pipelines", "api/pipelines/{*path}", s_allMethods, "function"),
            new("Runs", "api/runs/{*path}", s_allMethods, "function"),
            new("Schedules", "api/schedules/{*path}", s_allMethods, "function"),
            new("Sweeps", "api/sweeps/{*path}", s_allMethods, "function"),
        ];
        Timers = [new(EngineTick, TickSchedule)];
        Queues = [new(EngineWake, WakeQueueName, WakeOutput)];
    }

    /// <summary>The HTTP API, one function per area (catch-all routes).</summary>
    public IReadOnlyList<HttpFunction> Http { get; }

    /// <summary>Timer triggers.</summary>
    public IReadOnlyList<TimerFunction> Timers { get; }

    /// <summary>Queue triggers.</summary>
    public IReadOnlyList<QueueFunction> Queues { get; }

    /// <summary>The hub's wake-up queue.</summary>
    public string WakeQueueName { get; }

    /// <summary>Names of the functions the Functions host invokes by POSTing <c>/{name}</c> (every non-HTTP trigger).</summary>
    public IEnumerable<string> InvokedFunctions => Timers.Select(t => t.Name).Concat(Queues.Select(q => q.Name));

    /// <summary>The wake-up queue of <paramref name="taskHubName"/>.</summary>
    public static string WakeQueue(string taskHubName) => taskHubName + "-wake";

    /// <summary>The HTTP function that serves <paramref name="path"/>, or null when none does.</summary>
    public HttpFunction? FindHttp(string path) => Http.FirstOrDefault(f => f.Matches(path));
}
