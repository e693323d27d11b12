using System.Diagnostics;
using Serverless.Testing;

namespace Serverless.Host.Tests;

public sealed class StartupTests
{
    [Fact]
    public async Task Start_StorageUnreachable_ExitsAtOnceNamingTheEndpoint()
    {
        // Ports nobody listens on: the host must say so and exit, not wait on storage retries.
        var ports = new[] { LoopbackPorts.GetFree(), LoopbackPorts.GetFree(), LoopbackPorts.GetFree() };
        var connection = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
            "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
            $"BlobEndpoint=http://127.0.0.1:{ports[0]}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{ports[1]}/devstoreaccount1;" +
            $"TableEndpoint=http://127.0.0.1:{ports[2]}/devstoreaccount1;";
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { HostProcess.HostDll, "--urls", $"http://127.0.0.1:{LoopbackPorts.GetFree()}", $"--Serverless:Storage:ConnectionString={connection}" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(limit.Token);

        Assert.Equal(3, process.ExitCode);
        var message = await stderr;
        Assert.Contains("storage is not reachable", message, StringComparison.Ordinal);
        Assert.Contains($"table service at http://127.0.0.1:{ports[2]}/devstoreaccount1 is unreachable", message, StringComparison.Ordinal);
        Assert.Contains(".ci/azurite.sh start", message, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", message, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", await stdout, StringComparison.Ordinal);
    }
}
