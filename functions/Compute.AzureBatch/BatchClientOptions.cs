using Azure.Core;

namespace Serverless.Compute.AzureBatch;

/// <summary>
/// Pipeline options for <see cref="BatchClient"/>: retries, transport and diagnostics from Azure.Core.
/// </summary>
/// <remarks>
/// The defaults retry throttling (429/503, honouring <c>Retry-After</c>), 408/500/502/504 and network
/// failures with jittered exponential backoff. Azure.Core never retries 400/401/403/404/409, which is
/// what Batch needs: those mean a wrong request or a resource in the wrong state.
/// </remarks>
public sealed class BatchClientOptions : ClientOptions
{
    /// <summary>The data-plane REST API version every request carries.</summary>
    public const string ApiVersion = "2025-06-01";

    /// <summary>Creates options with Batch's retry defaults.</summary>
    public BatchClientOptions()
    {
        Retry.Mode = RetryMode.Exponential;
        Retry.MaxRetries = 6;
        Retry.Delay = TimeSpan.FromSeconds(1);
        Retry.MaxDelay = TimeSpan.FromSeconds(60);
        // Batch's own server-side limit for one request is 30 s; give the network a little on top.
        Retry.NetworkTimeout = TimeSpan.FromSeconds(60);
        // Batch support asks for these ids; Azure.Core redacts headers it is not told are safe.
        foreach (var header in new[] { "client-request-id", "request-id", "ocp-date", "Retry-After", "DataServiceId" })
        {
            Diagnostics.LoggedHeaderNames.Add(header);
        }
    }
}
