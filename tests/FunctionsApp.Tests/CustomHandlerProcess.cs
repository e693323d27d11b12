using System.Diagnostics;
using System.Text;
using Serverless.Testing;

namespace Serverless.FunctionsApp.Tests;

/// <summary>
/// The built host started the way the Functions host starts a custom handler: no <c>--urls</c>, only
/// <c>FUNCTIONS_CUSTOMHANDLER_PORT</c> in the environment (plus whatever app settings a test needs).
/// </summary>
public sealed class CustomHandlerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private CustomHandlerProcess(Process process, int port)
    {
        _process = process;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
    }

    public Uri BaseAddress { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the host with <paramref name="environment"/> as app settings and waits for /health.</summary>
    public static async Task<CustomHandlerProcess> StartAsync(IDictionary<string, string> environment)
    {
        await Azurite.EnsureRunningAsync();
        var port = LoopbackPorts.GetFree();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(HostProcess.HostDll);
        start.Environment["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["DOTNET_DbgEnableMiniDump"] = "0";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment.Remove("ASPNETCORE_URLS");
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the host");
        var host = new CustomHandlerProcess(process, port);
        process.OutputDataReceived += (_, e) => host.Append(e.Data);
        process.ErrorDataReceived += (_, e) => host.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"host exited with {process.ExitCode}:\n{host.Output}");
            }

            try
            {
                if ((await http.GetAsync(new Uri(host.BaseAddress, "/health"))).IsSuccessStatusCode)
                {
                    return host;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        await host.DisposeAsync();
        throw new TimeoutException($"host did not answer /health within 60 s:\n{host.Output}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
