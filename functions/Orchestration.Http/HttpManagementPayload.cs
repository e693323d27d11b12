using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;

namespace Serverless.Orchestration.Http;

/// <summary>
/// The body of a 202 answer to a start or restart: the instance id and absolute URLs of the management
/// operations on it, as Durable Functions returns them. <c>{eventName}</c> and <c>{text}</c> are
/// placeholders for the caller to fill in.
/// </summary>
/// <remarks>
/// There is no <c>rewindPostUri</c>: this engine does not rewind. Durable Functions' <c>taskHub</c>,
/// <c>connection</c> and <c>code</c> query parameters are not added, because a host serves one hub
/// and authentication is the hosting platform's job.
/// </remarks>
public sealed record HttpManagementPayload
{
    /// <summary>The instance id.</summary>
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    /// <summary>GET: the instance's status.</summary>
    [JsonPropertyName("statusQueryGetUri")]
    public required string StatusQueryGetUri { get; init; }

    /// <summary>POST: raise an event; replace <c>{eventName}</c>.</summary>
    [JsonPropertyName("sendEventPostUri")]
    public required string SendEventPostUri { get; init; }

    /// <summary>POST: terminate; replace <c>{text}</c> with the reason.</summary>
    [JsonPropertyName("terminatePostUri")]
    public required string TerminatePostUri { get; init; }

    /// <summary>DELETE: purge the instance's history once it has finished.</summary>
    [JsonPropertyName("purgeHistoryDeleteUri")]
    public required string PurgeHistoryDeleteUri { get; init; }

    /// <summary>POST: restart with the original input.</summary>
    [JsonPropertyName("restartPostUri")]
    public required string RestartPostUri { get; init; }

    /// <summary>POST: suspend; replace <c>{text}</c> with the reason.</summary>
    [JsonPropertyName("suspendPostUri")]
    public required string SuspendPostUri { get; init; }

    /// <summary>POST: resume; replace <c>{text}</c> with the reason.</summary>
    [JsonPropertyName("resumePostUri")]
    public required string ResumePostUri { get; init; }

    /// <summary>
    /// The payload for <paramref name="instanceId"/>, with URLs on the scheme, host and path base the
    /// <paramref name="request"/> came in on. Other endpoints that start orchestrations use this to answer
    /// the way Durable Functions' <c>CreateCheckStatusResponse</c> does.
    /// </summary>
    public static HttpManagementPayload For(HttpRequest request, string instanceId)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        var instance = $"{BaseUri(request)}/instances/{Uri.EscapeDataString(instanceId)}";
        return new HttpManagementPayload
        {
            Id = instanceId,
            StatusQueryGetUri = instance,
            SendEventPostUri = instance + "/raiseEvent/{eventName}",
            TerminatePostUri = instance + "/terminate?reason={text}",
            PurgeHistoryDeleteUri = instance,
            RestartPostUri = instance + "/restart",
            SuspendPostUri = instance + "/suspend?reason={text}",
            ResumePostUri = instance + "/resume?reason={text}",
        };
    }

    /// <summary>The absolute URL of the management API root for this request, without a trailing slash.</summary>
    internal static string BaseUri(HttpRequest request) =>
        $"{request.Scheme}://{request.Host.ToUriComponent()}{request.PathBase.ToUriComponent()}{DurableManagementEndpoints.RoutePrefix}";
}
