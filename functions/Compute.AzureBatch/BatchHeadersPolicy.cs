using System.Globalization;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Serverless.Compute.AzureBatch;

/// <summary>
/// Adds the headers Batch's REST API expects on every attempt: its own <c>client-request-id</c>
/// (Azure.Core only sends <c>x-ms-client-request-id</c>), <c>return-client-request-id</c> and a fresh
/// <c>ocp-date</c>, which direct REST callers must set themselves.
/// </summary>
internal sealed class BatchHeadersPolicy(TimeProvider clock) : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message)
    {
        var request = message.Request;
        request.Headers.SetValue("client-request-id", request.ClientRequestId);
        request.Headers.SetValue("return-client-request-id", "true");
        request.Headers.SetValue("ocp-date", clock.GetUtcNow().ToString("R", CultureInfo.InvariantCulture));
    }
}
