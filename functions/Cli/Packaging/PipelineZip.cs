using System.IO.Compression;
using System.Text;
using Serverless.Pipelines.Definition;
using Serverless.Pipelines.Packaging;

namespace Serverless.Cli.Packaging;

/// <summary>
/// Zips a pipeline folder for <c>PUT /api/pipelines/{name}/package</c> with exactly the files the packager
/// would publish (its <c>.pipelineignore</c> and default exclusions) and, when the build lists inputs outside
/// the folder, those too at their relative places (<see cref="UploadLayout"/>), so what is uploaded is what
/// builds and runs.
/// </summary>
internal static class PipelineZip
{
    // A fixed entry time keeps the same folder zipping to the same bytes (the server digests the files anyway).
    private static readonly DateTimeOffset s_entryTime = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The zip and the entry names in it, sorted.</summary>
    /// <exception cref="PipelineValidationException">A build input does not exist or lies inside the folder.</exception>
    public static (byte[] Zip, IReadOnlyList<string> Paths) Create(string folder, PipelineDefinition definition)
    {
        var (files, marker) = UploadLayout.Entries(folder, definition);
        var names = new List<string>();
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            if (marker is not null)
            {
                Add(archive, UploadLayout.FolderMarker, new MemoryStream(Encoding.UTF8.GetBytes(marker)));
                names.Add(UploadLayout.FolderMarker);
            }

            foreach (var (entry, local) in files)
            {
                Add(archive, entry, File.OpenRead(local));
                names.Add(entry);
            }
        }

        return (buffer.ToArray(), names.Order(StringComparer.Ordinal).ToList());
    }

    private static void Add(ZipArchive archive, string name, Stream content)
    {
        using (content)
        {
            var entry = archive.CreateEntry(name, CompressionLevel.Optimal);
            entry.LastWriteTime = s_entryTime;
            using var target = entry.Open();
            content.CopyTo(target);
        }
    }
}
