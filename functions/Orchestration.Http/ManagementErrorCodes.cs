namespace Serverless.Orchestration.Http;

/// <summary>
/// The values of <c>code</c> in the management API's error body <c>{"error": "...", "code": "..."}</c>.
/// Clients branch on these, so they never change once published.
/// </summary>
public static class ManagementErrorCodes
{
    /// <summary>400: the instance id in the route is empty, too long or holds a forbidden character.</summary>
    public const string InvalidInstanceId = "InvalidInstanceId";

    /// <summary>400: the request body is not valid JSON; the message gives line and column.</summary>
    public const string InvalidJson = "InvalidJson";

    /// <summary>400: a query parameter or header has a value that cannot be used; the message names it.</summary>
    public const string InvalidParameter = "InvalidParameter";

    /// <summary>400: the orchestrator name is not registered on this host (only checked when the host registers an <see cref="OrchestrationRegistry"/>).</summary>
    public const string UnknownOrchestrator = "UnknownOrchestrator";

    /// <summary>404: no instance with the id exists.</summary>
    public const string InstanceNotFound = "InstanceNotFound";

    /// <summary>404: a purge by filter matched no finished instance.</summary>
    public const string NoInstancesMatched = "NoInstancesMatched";

    /// <summary>404: no management endpoint has this path and method.</summary>
    public const string EndpointNotFound = "EndpointNotFound";

    /// <summary>409: a start names an instance id whose instance has not finished.</summary>
    public const string InstanceAlreadyExists = "InstanceAlreadyExists";

    /// <summary>409: the instance's status does not allow the operation (for example, resuming one that is not suspended).</summary>
    public const string InvalidInstanceState = "InvalidInstanceState";

    /// <summary>409: purging an instance that has not finished.</summary>
    public const string InstanceNotFinished = "InstanceNotFinished";

    /// <summary>410: the instance has finished, so it takes no more events or control requests.</summary>
    public const string InstanceFinished = "InstanceFinished";

    /// <summary>501: the operation exists in Durable Functions but not in this engine (rewind).</summary>
    public const string NotSupported = "NotSupported";

    /// <summary>500: the host did not register a <see cref="DurableEngine"/> or <see cref="OrchestrationClient"/>.</summary>
    public const string EngineNotConfigured = "EngineNotConfigured";

    /// <summary>503: Azure Storage refused or failed a request; retrying later may succeed.</summary>
    public const string StorageUnavailable = "StorageUnavailable";

    /// <summary>500: an unexpected failure; the server log has the details under the trace id in the message.</summary>
    public const string InternalError = "InternalError";
}
