using System.IO.Compression;
using Serverless.Cli.Packaging;

namespace Serverless.Cli.Tests;

public sealed class PipelineZipTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cli-zip-").FullName;

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

        var (zip, paths) = PipelineZip.Create(_folder);

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

        var first = PipelineZip.Create(_folder).Zip;
        File.SetLastWriteTimeUtc(Path.Combine(_folder, "a.txt"), DateTime.UtcNow.AddDays(-3));
        var second = PipelineZip.Create(_folder).Zip;

        Assert.Equal(first, second);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private void Write(string path, string content)
    {
        var full = Path.Combine(_folder, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
    }
}
