using Serverless.Testing;

namespace Serverless.Cli.Tests;

/// <summary>One real host for the CLI tests, with its own task hub, tables, containers and pipeline source root.</summary>
public sealed class HostFixture : IAsyncLifetime
{
    public HostProcess Host { get; private set; } = null!;

    public Uri Server => Host.BaseAddress;

    public string Scratch { get; } = Directory.CreateTempSubdirectory("cli-tests-").FullName;

    public string Sources => Path.Combine(Scratch, "sources");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Sources);
        var settings = new Dictionary<string, string>
        {
            ["Serverless:Orchestration:TaskHubName"] = TestNames.Unique("clihub"),
            ["Serverless:Orchestration:PartitionCount"] = "2",
            ["Serverless:Orchestration:WorkerId"] = TestNames.Unique("cliworker"),
            ["Serverless:Tracking:TablePrefix"] = TestNames.Unique("clit"),
            ["Serverless:Tracking:ArtifactContainer"] = TestNames.Unique("climl"),
            ["Serverless:Pipelines:SourceRoot"] = Sources,
            ["Serverless:Pipelines:CacheTable"] = TestNames.Unique("clicache"),
            ["Serverless:Pipelines:ControlContainer"] = TestNames.Unique("clictl"),
            ["Serverless:Pipelines:PackageCacheRoot"] = Path.Combine(Scratch, "packages"),
            ["Serverless:Pipelines:AttemptStateRoot"] = Path.Combine(Scratch, "attempts"),
            ["Serverless:Pipelines:Local:ArtifactContainer"] = TestNames.Unique("cliart"),
            ["Serverless:Pipelines:Local:WorkRoot"] = Path.Combine(Scratch, "work"),
            ["Serverless:Pipelines:Local:KillGracePeriod"] = "00:00:01",
            ["Serverless:Pipelines:Packages:ContainerName"] = TestNames.Unique("clipkg"),
            ["Serverless:Schedules:TableName"] = TestNames.Unique("clisched"),
        };
        Host = await HostProcess.StartAsync(settings);
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        try
        {
            Directory.Delete(Scratch, recursive: true);
        }
        catch (IOException)
        {
            // A step's leftover file handle; the temp folder is cleaned by the OS later.
        }
    }

    /// <summary>Writes a pipeline folder (not under the host's source root: the CLI uploads it).</summary>
    public string WritePipeline(string name, string yaml, IDictionary<string, string>? files = null)
    {
        var folder = Path.Combine(Scratch, "local", name);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "pipeline.yaml"), yaml);
        foreach (var (path, content) in files ?? new Dictionary<string, string>())
        {
            var full = Path.Combine(folder, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
        }

        return folder;
    }
}

[CollectionDefinition(Name)]
public sealed class HostGroup : ICollectionFixture<HostFixture>
{
    public const string Name = "smlops against the real host";
}
