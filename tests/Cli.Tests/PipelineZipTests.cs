using System.IO.Compression;
using Serverless.Cli.Packaging;
using Serverless.Pipelines.Definition;
using Serverless.Pipelines.Packaging;
using Serverless.Pipelines.Parsing;

namespace Serverless.Cli.Tests;

public sealed class PipelineZipTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("cli-zip-").FullName;

    private readonly string _folder;

    public PipelineZipTests()
    {
        _folder = Path.Combine(_root, "repo", "pipelines", "p");
    }

    [Fact]
    public void Create_FolderWithIgnoreFile_ZipsExactlyThePackagedFiles()
    {
        Write("pipeline.yaml", "name: z\nsteps:\n  a:\n    command: \"true\"\n");
        Write("src/train.py", "print(1)");
        Write("src/cache.tmp", "x");
        Write("data/big.csv", "1,2");
        Write("bin/Debug/app.dll", "x");
        Write(".git/HEAD", "ref");
        Write(".pipelineignore", "*.tmp\n/data/\n");

        var (zip, paths) = PipelineZip.Create(_folder, Definition());

        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        var entries = archive.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal([".pipelineignore", "pipeline.yaml", "src/train.py"], entries);
        Assert.Equal(entries, paths);
        using var reader = new StreamReader(archive.GetEntry("src/train.py")!.Open());
        Assert.Equal("print(1)", reader.ReadToEnd());
    }

    [Fact]
    public void Create_SameContent_SameBytes()
    {
        Write("pipeline.yaml", "name: z\nsteps:\n  a:\n    command: \"true\"\n");
        Write("a.txt", "a");

        var first = PipelineZip.Create(_folder, Definition()).Zip;
        File.SetLastWriteTimeUtc(Path.Combine(_folder, "a.txt"), DateTime.UtcNow.AddDays(-3));
        var second = PipelineZip.Create(_folder, Definition()).Zip;

        Assert.Equal(first, second);
    }

    [Fact]
    public void Create_BuildInputsOutsideTheFolder_ZipsTheSmallestTreeHoldingAllAndMarksTheFolder()
    {
        Write("pipeline.yaml", """
            name: z
            build:
              command: cat ../../shared/lib/a.txt > $SERVERLESS_BUILD_OUTPUT/a.txt
              inputs: [../../shared/lib, ../../Directory.Packages.props]
            steps:
              a:
                command: "true"
            """);
        Write("run.sh", "echo");
        Write("../../shared/lib/a.txt", "a");
        Write("../../shared/lib/obj/x.json", "{}");
        Write("../../shared/other/b.txt", "not an input");
        Write("../../Directory.Packages.props", "<Project />");

        var (zip, paths) = PipelineZip.Create(_folder, Definition());

        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        Assert.Equal(
            [".pipeline-folder", "Directory.Packages.props", "pipelines/p/pipeline.yaml", "pipelines/p/run.sh", "shared/lib/a.txt"],
            archive.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));
        Assert.Equal(archive.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal), paths);
        using var reader = new StreamReader(archive.GetEntry(".pipeline-folder")!.Open());
        Assert.Equal("pipelines/p", reader.ReadToEnd());

        // Extracted elsewhere, the marker finds the folder and the inputs resolve as in the source tree.
        var extracted = Path.Combine(_root, "extracted");
        archive.ExtractToDirectory(extracted);
        var located = UploadLayout.Locate(extracted);
        Assert.Equal(Path.Combine(extracted, "pipelines", "p"), located);
        Assert.Equal(
            PackageScanner.Digest([.. PackageScanner.Scan(_folder), .. BuildInputScanner.Scan(_folder, Definition().BuildInputs)]),
            PackageScanner.Digest([.. PackageScanner.Scan(located!), .. BuildInputScanner.Scan(located!, Definition().BuildInputs)]));
    }

    [Fact]
    public void Locate_MarkerNamingAPathOutsideTheUpload_IsRefused()
    {
        Write("../../up/.pipeline-folder", "../pipelines/p");
        Write("pipeline.yaml", "name: z\nsteps:\n  a:\n    command: \"true\"\n");

        var ex = Assert.Throws<InvalidOperationException>(() => UploadLayout.Locate(Path.Combine(_root, "repo", "up")));

        Assert.Equal(".pipeline-folder names '../pipelines/p', which is not a folder with a pipeline.yaml inside the zip", ex.Message);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private PipelineDefinition Definition() => PipelineParser.Load(Path.Combine(_folder, "pipeline.yaml"));

    private void Write(string path, string content)
    {
        var full = Path.Combine(_folder, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
    }
}
