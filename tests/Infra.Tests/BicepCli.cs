using System.Diagnostics;
using System.Reflection;

namespace Serverless.Infra.Tests;

/// <summary>
/// Runs the bicep binary shipped in the Azure.Bicep.CommandLine.linux-x64 NuGet package (no Azure CLI,
/// no network). <c>BICEP_PATH</c> overrides the location.
/// </summary>
internal static class BicepCli
{
    private static readonly Lazy<string> s_path = new(Locate);

    public static string Path => s_path.Value;

    public static async Task<BicepResult> RunAsync(string workingDirectory, params string[] args)
    {
        var info = new ProcessStartInfo(Path)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // No telemetry or update checks: the build is offline.
        info.Environment["BICEP_TELEMETRY_ENABLED"] = "false";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {Path}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return new BicepResult(process.ExitCode, await stdout, await stderr, "bicep " + string.Join(' ', args));
    }

    private static string Locate()
    {
        var candidates = new List<string?>
        {
            Environment.GetEnvironmentVariable("BICEP_PATH"),
            typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "BicepPath")?.Value,
        };
        var home = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        candidates.Add(System.IO.Path.Combine(home, "azure.bicep.commandline.linux-x64", "0.49.2", "tools", "bicep"));
        foreach (var candidate in candidates)
        {
            if (string.IsNullOrEmpty(candidate))
            {
                continue;
            }

            var path = System.IO.Path.GetFullPath(candidate.Replace('\\', '/'));
            if (File.Exists(path) && !OperatingSystem.IsWindows())
            {
                // NuGet extraction does not always keep the execute bit for every user.
                var mode = File.GetUnixFileMode(path);
                const UnixFileMode execute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
                if ((mode & UnixFileMode.UserExecute) == 0)
                {
                    File.SetUnixFileMode(path, mode | execute);
                }

                return path;
            }
        }

        throw new FileNotFoundException(
            "The bicep binary was not found. Restore tests/Infra.Tests (it references Azure.Bicep.CommandLine.linux-x64) or set BICEP_PATH. Looked in: "
            + string.Join(", ", candidates.Where(c => !string.IsNullOrEmpty(c))));
    }
}
