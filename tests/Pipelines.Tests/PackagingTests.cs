using Azure.Storage.Blobs;
using Serverless.Pipelines.Definition;
using Serverless.Pipelines.Packaging;
using Serverless.Storage;
using Serverless.Testing;

namespace Serverless.Pipelines.Tests;

public sealed class PackagingTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("pkg-src-").FullName;
    private readonly List<string> _cleanup = [];

    public PackagingTests()
    {
        _cleanup.Add(_folder);
    }

    public void Dispose()
    {
        foreach (var dir in _cleanup)
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<(PipelinePackager Packager, BlobContainerClient Container)> CreateAsync()
    {
        var storage = new StorageClients(new StorageOptions { ConnectionString = await Azurite.EnsureRunningAsync() });
        var options = new PackageStoreOptions { ContainerName = TestNames.Unique("pkg") };
        return (new PipelinePackager(storage, options), storage.Blobs.GetBlobContainerClient(options.ContainerName));
    }

    private void Write(string relative, string content)
    {
        var path = Path.Combine(_folder, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    private void WritePipeline(string build = "")
    {
        Write("pipeline.yaml", "name: pkg-demo\n" + build + "\nenvironment: { runtime: posix-sh }\nsteps:\n  hello: { command: sh $SERVERLESS_PACKAGE/run.sh }\n");
        Write("run.sh", "echo hello\n");
        Write("data/input.csv", "a,b\n1,2\n");
    }

    [Fact]
    public async Task Publish_SameContentTwice_IsANoOpReturningTheSameVersion()
    {
        WritePipeline();
        var (packager, _) = await CreateAsync();

        var first = await packager.PublishAsync(_folder);
        var second = await packager.PublishAsync(_folder);

        Assert.True(first.Created);
        Assert.False(second.Created);
        Assert.Equal(first.Manifest.Version, second.Manifest.Version);
        Assert.Equal(first.Manifest.CodeDigest, second.Manifest.CodeDigest);
        Assert.Equal(first.Manifest.PublishedAt, second.Manifest.PublishedAt);
        Assert.Equal("sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(Path.Combine(_folder, "pipeline.yaml")))),
            first.Manifest.DefinitionDigest);
        Assert.Equal(first.Manifest.CodeDigest[7..23], first.Manifest.Version);
    }

    [Fact]
    public async Task Publish_ChangedOrRenamedFile_CreatesANewVersion()
    {
        WritePipeline();
        var (packager, _) = await CreateAsync();
        var original = await packager.PublishAsync(_folder);

        Write("run.sh", "echo changed\n");
        var changed = await packager.PublishAsync(_folder);
        File.Move(Path.Combine(_folder, "data/input.csv"), Path.Combine(_folder, "data/renamed.csv"));
        var renamed = await packager.PublishAsync(_folder);

        Assert.True(changed.Created);
        Assert.True(renamed.Created);
        Assert.Equal(3, new[] { original, changed, renamed }.Select(r => r.Manifest.Version).Distinct().Count());
        Assert.Equal(3, (await packager.ListAsync("pkg-demo")).Count);
    }

    [Fact]
    public async Task Publish_ExcludesBinObjAndPipelineIgnorePatterns_AndTheyDoNotChangeTheVersion()
    {
        WritePipeline();
        Write(".pipelineignore", "# scratch files\n*.tmp\n/notes/\n!keep.tmp\n");
        var (packager, _) = await CreateAsync();
        var before = await packager.PublishAsync(_folder);

        Write("src/bin/Debug/app.dll", "binary");
        Write("src/obj/project.assets.json", "{}");
        Write("scratch.tmp", "x");
        Write("deep/er/file.tmp", "x");
        Write("notes/todo.txt", "x");
        var after = await packager.PublishAsync(_folder);

        Assert.False(after.Created);
        Assert.Equal(before.Manifest.Version, after.Manifest.Version);
        Assert.Equal([".pipelineignore", "data/input.csv", "pipeline.yaml", "run.sh"], after.Manifest.Files.Select(f => f.Path));

        Write("keep.tmp", "kept by the negated pattern");
        var withKept = await packager.PublishAsync(_folder);
        Assert.Contains(withKept.Manifest.Files, f => f.Path == "keep.tmp");
    }

    [Fact]
    public async Task Fetch_RestoresEveryFileWithVerifiedContent_IncludingBuildOutput()
    {
        WritePipeline("build: mkdir -p $SERVERLESS_BUILD_OUTPUT/bin && echo built-from-$(cat run.sh | wc -c) > $SERVERLESS_BUILD_OUTPUT/bin/tool.txt");
        var (packager, _) = await CreateAsync();
        var published = await packager.PublishAsync(_folder);
        var target = Directory.CreateTempSubdirectory("pkg-fetch-").FullName;
        _cleanup.Add(target);

        var fetched = await packager.FetchAsync("pkg-demo", published.Manifest.Version, target);

        Assert.Equal(published.Manifest.CodeDigest, fetched.CodeDigest);
        Assert.Equal(File.ReadAllText(Path.Combine(_folder, "run.sh")), File.ReadAllText(Path.Combine(target, "run.sh")));
        Assert.Equal(File.ReadAllText(Path.Combine(_folder, "data/input.csv")), File.ReadAllText(Path.Combine(target, "data/input.csv")));
        Assert.Equal("built-from-11\n", File.ReadAllText(Path.Combine(target, ".build/bin/tool.txt")));
        Assert.Contains(fetched.Files, f => f.Path == "bin/tool.txt" && f.Origin == "build");
        Assert.Equal(published.Manifest.DigestOf("data/input.csv"), PackageScanner.FileDigest(Path.Combine(target, "data/input.csv")));
    }

    [Fact]
    public async Task Publish_FailingBuild_ReportsTheOutputAndPublishesNothing()
    {
        WritePipeline("build: \"echo compiling; echo 'error CS1002: ; expected' >&2; exit 4\"");
        var (packager, container) = await CreateAsync();

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => packager.PublishAsync(_folder));

        Assert.Contains("exit code 4", ex.Message, StringComparison.Ordinal);
        Assert.Contains("error CS1002", ex.Message, StringComparison.Ordinal);
        Assert.Empty(await packager.ListAsync("pkg-demo"));
        _ = container;
    }

    [Fact]
    public async Task Publish_SourceEditedAfterTheScan_FailsNamingTheFileAndPublishesNoVersion()
    {
        // The build runs between the scan (which fixes the version's digests) and the upload: a build that
        // writes into the source folder is exactly an edit in between.
        WritePipeline("build: \"echo edited >> run.sh; mkdir -p $SERVERLESS_BUILD_OUTPUT\"");
        var (packager, _) = await CreateAsync();

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => packager.PublishAsync(_folder));

        Assert.Contains("'run.sh' changed while the pipeline was being published", ex.Message, StringComparison.Ordinal);
        Assert.Empty(await packager.ListAsync("pkg-demo"));
    }

    [Fact]
    public async Task Publish_InvalidPipeline_ThrowsWithLocatedProblemsAndUploadsNothing()
    {
        Write("pipeline.yaml", "name: bad\nsteps:\n  a: { comand: x }\n");
        var (packager, container) = await CreateAsync();

        var ex = await Assert.ThrowsAsync<PipelineValidationException>(() => packager.PublishAsync(_folder));

        Assert.Contains(ex.Diagnostics, d => d.Mark.Line == 3 && d.Message.Contains("unknown key 'comand'", StringComparison.Ordinal));
        Assert.False(await container.ExistsAsync());
    }
}
