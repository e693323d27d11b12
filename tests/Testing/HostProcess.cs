using System.Diagnostics;
using System.Text;

namespace Serverless.Testing;

/// <summary>The real host executable started as a child process on a loopback port.</summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private HostProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
    }

    public int Port { get; }

    public Uri BaseAddress { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

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

    /// <summary>Path of the built host assembly, in the same configuration as the tests.</summary>
    public static string HostDll
    {
        get
        {
#if DEBUG
            const string configuration = "Debug";
#else
            const string configuration = "Release";
#endif
            return Path.Combine(RepoPaths.Root, "functions", "Host", "bin", configuration, "net10.0", "Serverless.Host.dll");
        }
    }

    /// <summary>Starts the host with <paramref name="settings"/> as configuration and waits until it answers /health.</summary>
    public static async Task<HostProcess> StartAsync(IDictionary<string, string> settings, int? port = null)
    {
        var p = port ?? LoopbackPorts.GetFree();
        var start = NewStartInfo();
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{p}");
        foreach (var (key, value) in settings)
        {
            start.ArgumentList.Add($"--{key}={value}");
        }

        return await LaunchAsync(start, p);
    }

    /// <summary>
    /// Starts the host the way the Functions host starts a custom handler: no <c>--urls</c>, only
    /// <c>FUNCTIONS_CUSTOMHANDLER_PORT</c> in the environment, with <paramref name="environment"/> as app settings.
    /// </summary>
    public static async Task<HostProcess> StartCustomHandlerAsync(IDictionary<string, string> environment)
    {
        var port = LoopbackPorts.GetFree();
        var start = NewStartInfo();
        start.Environment["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment.Remove("ASPNETCORE_URLS");
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return await LaunchAsync(start, port);
    }

    private static ProcessStartInfo NewStartInfo()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(HostDll);
        start.Environment["DOTNET_DbgEnableMiniDump"] = "0";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        return start;
    }

    private static async Task<HostProcess> LaunchAsync(ProcessStartInfo start, int port)
    {
        await Azurite.EnsureRunningAsync();
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the host");
        var host = new HostProcess(process, port);
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

    /// <summary>SIGKILL: no shutdown code runs, exactly like a crashed or evicted worker.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        await Task.CompletedTask;
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
