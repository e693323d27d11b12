using Serverless.Pipelines.Definition;
using Serverless.Pipelines.Packaging;
using Serverless.Storage;
using Serverless.Testing;

namespace Serverless.Pipelines.Tests;

/// <summary>
/// <c>build.inputs</c>: files outside the pipeline folder that the build reads are part of the version, so a
/// change to shared code builds a new version instead of reusing a build of the old code.
/// </summary>
public sealed class BuildInputTests : IDisposable
{
    private const string Build = """
        build:
          command: mkdir -p $SERVERLESS_BUILD_OUTPUT && cat ../shared/lib/greeting.txt ../version.txt > $SERVERLESS_BUILD_OUTPUT/greeting.txt
          inputs: [../shared/lib, ../version.txt]
        """;

    private readonly string _root = Directory.CreateTempSubdirectory("pkg-inputs-").FullName;
    private readonly List<string> _cleanup = [];

    public BuildInputTests()
    {
        _cleanup.Add(_root);
    }

    private string Folder => Path.Combine(_root, "pipe");

    public void Dispose()
    {
        foreach (var dir in _cleanup)
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Publish_BuildInputChanged_BuildsANewVersionFromTheNewContent()
    {
        WriteLayout(Build);
        var packager = await CreatePackagerAsync();
        var first = await packager.PublishAsync(Folder);

        // Excluded files of an input (its bin/ and its .pipelineignore patterns) neither count nor change the version.
        Write("shared/lib/bin/Debug/lib.dll", "binary");
        Write("shared/lib/scratch.tmp", "x");
        var same = await packager.PublishAsync(Folder);
        Write("shared/lib/greeting.txt", "hello, changed\n");
        var changed = await packager.PublishAsync(Folder);

        Assert.True(first.Created);
        Assert.False(same.Created);
        Assert.Equal(first.Manifest.Version, same.Manifest.Version);
        Assert.True(changed.Created);
        Assert.NotEqual(first.Manifest.Version, changed.Manifest.Version);
        Assert.Equal(
            ["../shared/lib/.pipelineignore", "../shared/lib/greeting.txt", "../version.txt"],
            changed.Manifest.BuildInputs.Select(f => f.Path));
        Assert.All(changed.Manifest.BuildInputs, f => Assert.Equal(BuildInputScanner.Origin, f.Origin));
        Assert.Equal(PackageScanner.FileDigest(Path.Combine(_root, "version.txt")), changed.Manifest.BuildInputs[^1].Digest);

        // Inputs are digested, not shipped: the package holds the folder's files and the build output only.
        Assert.DoesNotContain(changed.Manifest.Files, f => f.Path.StartsWith("..", StringComparison.Ordinal));
        var target = Directory.CreateTempSubdirectory("pkg-inputs-fetch-").FullName;
        _cleanup.Add(target);
        await packager.FetchAsync("inputs-demo", changed.Manifest.Version, target);
        Assert.Equal("hello, changed\nv1\n", File.ReadAllText(Path.Combine(target, ".build", "greeting.txt")));

        // A single-file input counts the same way.
        Write("version.txt", "v2\n");
        var third = await packager.PublishAsync(Folder);
        Assert.True(third.Created);
        Assert.Equal(3, new[] { first, changed, third }.Select(p => p.Manifest.Version).Distinct().Count());
    }

    [Fact]
    public async Task Publish_NoBuildInputs_KeepsTheVersionOfTheFolderAlone()
    {
        // Declaring no inputs must not move existing versions: the digest is the folder's, as before.
        WriteLayout("build: mkdir -p $SERVERLESS_BUILD_OUTPUT");
        var packager = await CreatePackagerAsync();

        var published = await packager.PublishAsync(Folder);

        Assert.Empty(published.Manifest.BuildInputs);
        Assert.Equal(PackageScanner.Digest(PackageScanner.Scan(Folder)), published.Manifest.CodeDigest);
    }

    [Fact]
    public async Task Publish_MissingOrInsideInput_FailsNamingEachEntryAndPublishesNothing()
    {
        WriteLayout("""
            build:
              command: mkdir -p $SERVERLESS_BUILD_OUTPUT
              inputs:
                - ../shared/lib
                - ../shraed/lib
                - data
            """);
        var packager = await CreatePackagerAsync();

        var ex = await Assert.ThrowsAsync<PipelineValidationException>(() => packager.PublishAsync(Folder));

        Assert.Collection(
            ex.Diagnostics,
            d =>
            {
                Assert.Equal((6, 7), (d.Mark.Line, d.Mark.Column));
                Assert.StartsWith("build input '../shraed/lib' does not exist (resolved to ", d.Message, StringComparison.Ordinal);
            },
            d =>
            {
                Assert.Equal((7, 7), (d.Mark.Line, d.Mark.Column));
                Assert.Equal("build input 'data' is inside the pipeline folder, which is always part of the version; list only paths outside it", d.Message);
            });
        Assert.EndsWith("pipeline.yaml", ex.Diagnostics[0].Mark.File, StringComparison.Ordinal);
        Assert.Empty(await packager.ListAsync("inputs-demo"));
    }

    [Fact]
    public async Task Publish_BuildEditsAnInput_FailsAndPublishesNothing()
    {
        WriteLayout("""
            build:
              command: echo edited >> ../version.txt; mkdir -p $SERVERLESS_BUILD_OUTPUT
              inputs: [../version.txt]
            """);
        var packager = await CreatePackagerAsync();

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => packager.PublishAsync(Folder));

        Assert.Equal("a build input changed while the pipeline was being built; publish again", ex.Message);
        Assert.Empty(await packager.ListAsync("inputs-demo"));
    }

    [Theory]
    [InlineData("credit-scoring")]
    [InlineData("credit-scoring-sweep")]
    public void ExamplePipelines_DeclareTheSharedCodeTheirBuildCompiles(string name)
    {
        var folder = Path.Combine(RepoPaths.Root, "pipelines", name);
        var definition = Parsing.PipelineParser.Load(Path.Combine(folder, PipelinePackager.DefinitionFileName));

        var inputs = BuildInputScanner.Scan(folder, definition.BuildInputs);

        // The step program references the tracking client's project and the repository's central package versions.
        Assert.Contains(inputs, f => f.Path == "../../functions/Tracking.Client/Tracking.Client.csproj");
        Assert.Contains(inputs, f => f.Path == "../../Directory.Packages.props");
        Assert.DoesNotContain(inputs, f => f.Path.Contains("/bin/", StringComparison.Ordinal) || f.Path.Contains("/obj/", StringComparison.Ordinal));
    }

    private static async Task<PipelinePackager> CreatePackagerAsync()
    {
        var storage = new StorageClients(new StorageOptions { ConnectionString = await Azurite.EnsureRunningAsync() });
        return new PipelinePackager(storage, new PackageStoreOptions { ContainerName = TestNames.Unique("pkgin") });
    }

    private void WriteLayout(string build)
    {
        Write("pipe/pipeline.yaml", "name: inputs-demo\n" + build + "\nenvironment: { runtime: posix-sh }\nsteps:\n  hello: { command: cat $SERVERLESS_BUILD/greeting.txt }\n");
        Write("pipe/data/input.csv", "a\n1\n");
        Write("shared/lib/greeting.txt", "hello\n");
        Write("shared/lib/.pipelineignore", "*.tmp\n");
        Write("version.txt", "v1\n");
    }

    private void Write(string relative, string content)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }
}
