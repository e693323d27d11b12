using System.Diagnostics;
using System.Net.Sockets;

namespace Serverless.Testing;

/// <summary>
/// Makes sure the Azurite emulator is reachable before a test touches storage, starting it with the
/// project's own script (<c>.ci/azurite.sh</c>) when nothing listens on its ports.
/// </summary>
/// <remarks>
/// Set <c>SERVERLESS_TEST_STORAGE</c> to a connection string to run the suite against another
/// account; then nothing is started.
/// </remarks>
public static class Azurite
{
    private static readonly SemaphoreSlim s_gate = new(1, 1);
    private static bool s_ready;

    /// <summary>The connection string tests use.</summary>
    public static string ConnectionString =>
        Environment.GetEnvironmentVariable("SERVERLESS_TEST_STORAGE") is { Length: > 0 } custom
            ? custom
            : "UseDevelopmentStorage=true";

    /// <summary>Starts Azurite if needed and returns the connection string.</summary>
    public static async Task<string> EnsureRunningAsync()
    {
        if (s_ready || Environment.GetEnvironmentVariable("SERVERLESS_TEST_STORAGE") is { Length: > 0 })
        {
            return ConnectionString;
        }

        await s_gate.WaitAsync();
        try
        {
            if (!s_ready && !(await IsListeningAsync()))
            {
                var script = Path.Combine(RepoPaths.Root, ".ci", "azurite.sh");
                using var process = Process.Start(new ProcessStartInfo("bash", [script, "start"])
                {
                    RedirectStandardError = true,
                    RedirectStandardOutput = true,
                }) ?? throw new InvalidOperationException("could not start bash to run .ci/azurite.sh");
                var stderr = await process.StandardError.ReadToEndAsync();
                await process.WaitForExitAsync();
                if (process.ExitCode != 0)
                {
                    throw new InvalidOperationException($".ci/azurite.sh start failed ({process.ExitCode}): {stderr}");
                }
            }

            s_ready = true;
            return ConnectionString;
        }
        finally
        {
            s_gate.Release();
        }
    }

    private static async Task<bool> IsListeningAsync()
    {
        foreach (var port in new[] { 10000, 10001, 10002 })
        {
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync("127.0.0.1", port);
            }
            catch (SocketException)
            {
                return false;
            }
        }

        return true;
    }
}
