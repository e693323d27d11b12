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
        var settings = HostSettings.Isolated(Scratch, "cli");
        settings["Serverless:Pipelines:SourceRoot"] = Sources;
        settings["Serverless:Schedules:TableName"] = TestNames.Unique("clisched");
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
