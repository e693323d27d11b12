using Azure;

namespace Serverless.Host.Functions;

/// <summary>Creates the wake queue at start; the engine creates its own queues, but does not know this one.</summary>
internal sealed class WakeQueueSetup(WakePoster poster) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await poster.Queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // Created concurrently by another instance.
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
