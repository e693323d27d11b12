using Serverless.Orchestration;

namespace Serverless.Host.Hosting;

/// <summary>Starts the durable engine's workers with the host and hands their partitions back on shutdown.</summary>
internal sealed class EngineHostedService(DurableEngine engine) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => engine.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => engine.StopAsync(cancellationToken);
}
