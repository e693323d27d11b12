using System.Diagnostics;
using System.IO.Compression;
using Serverless.Host.Functions;
using Serverless.Orchestration.AzureStorage;
using Serverless.Testing;

namespace Serverless.FunctionsApp.Tests;

public sealed class PublishTests
{
    [Fact]
    public async Task Publish_BuiltHost_ZipHasHostJsonFunctionFoldersAndExecutableAtRoot()
    {
        // The packaging half of .ci/publish over the host the tests built (the full publish, with the
        // self-contained runtime, takes minutes and is measured in docs/deploy.md instead).
        var dir = Directory.CreateTempSubdirectory("publish-").FullName;
        try
        {
            var zip = Path.Combine(dir, "app.zip");
            var start = new ProcessStartInfo("bash") { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var a in new[] { Path.Combine(RepoPaths.Root, ".ci", "publish"), "--app-dir", Path.GetDirectoryName(HostProcess.HostDll)!, "--out", zip, "--task-hub", "zipthub" })
            {
                start.ArgumentList.Add(a);
            }

            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, await stderr);

            using var archive = ZipFile.OpenRead(zip);
            var names = archive.Entries.Select(e => e.FullName).ToHashSet();
            Assert.Contains("host.json", names);
            var exe = archive.GetEntry("Serverless.Host");
            Assert.NotNull(exe);
            // Unix mode bits live in the high 16 bits of the external attributes: the owner may execute.
            Assert.True(((exe.ExternalAttributes >> 16) & 0x40) != 0, "Serverless.Host is not executable in the zip");

            var catalog = new FunctionCatalog(new TaskHubOptions { TaskHubName = "zipthub" });
            var expected = catalog.Http.Select(f => f.Name).Concat(catalog.InvokedFunctions).Order().ToList();
            var folders = names.Where(n => n.EndsWith("/function.json", StringComparison.Ordinal)).Select(n => n.Split('/')[0]).Order().ToList();
            Assert.Equal(expected, folders);
            Assert.All(names.Where(n => n.EndsWith("function.json", StringComparison.Ordinal)), n => Assert.Equal(2, n.Split('/').Length));
            using var wake = new StreamReader(archive.GetEntry("EngineWake/function.json")!.Open());
            Assert.Contains("\"zipthub-wake\"", await wake.ReadToEndAsync(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Publish_UnknownArgument_FailsWithUsageHint()
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(Path.Combine(RepoPaths.Root, ".ci", "publish"));
        start.ArgumentList.Add("--bogus");
        using var process = Process.Start(start)!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("unknown argument '--bogus'", stderr, StringComparison.Ordinal);
    }
}
