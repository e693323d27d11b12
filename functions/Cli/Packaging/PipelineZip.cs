using System.IO.Compression;
using Serverless.Pipelines.Packaging;

namespace Serverless.Cli.Packaging;

/// <summary>
/// Zips a pipeline folder for <c>PUT /api/pipelines/{name}/package</c> with exactly the files the packager
/// would publish (its <c>.pipelineignore</c> and default exclusions), so what is uploaded is what runs.
/// </summary>
internal static class PipelineZip
{
    // A fixed entry time keeps the same folder zipping to the same bytes (the server digests the files anyway).
    private static readonly DateTimeOffset s_entryTime = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The zip and the paths in it, sorted.</summary>
    public static (byte[] Zip, IReadOnlyList<string> Paths) Create(string folder)
    {
        var files = PackageScanner.Scan(folder);
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var file in files)
            {
                var entry = archive.CreateEntry(file.Path, CompressionLevel.Optimal);
                entry.LastWriteTime = s_entryTime;
                using var target = entry.Open();
                using var source = File.OpenRead(Path.Combine(folder, file.Path));
                source.CopyTo(target);
            }
        }

        return (buffer.ToArray(), files.Select(f => f.Path).ToList());
    }
}
