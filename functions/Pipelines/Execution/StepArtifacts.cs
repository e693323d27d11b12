using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Serverless.Pipelines.Planning;

namespace Serverless.Pipelines.Execution;

/// <summary>
/// Moves a step's artifacts between Blob storage (or the package, or a local path) and its working
/// directory. Transfers run several at a time: each blob is a round trip, and a step waits for all of them.
/// </summary>
internal sealed class StepArtifacts(BlobServiceClient blobs, BlobContainerClient outputs)
{
    private const int ParallelTransfers = 8;

    /// <summary>Puts the artifact <paramref name="artifact"/> at <paramref name="target"/> (a file or a directory).</summary>
    /// <exception cref="StepInputException">The artifact's URI is malformed, unsupported or points at nothing.</exception>
    public async Task MaterializeAsync(ArtifactRef artifact, string target, string packageDirectory, string inputName, CancellationToken cancel)
    {
        var uri = artifact.Uri;
        if (uri.StartsWith("blob:", StringComparison.Ordinal))
        {
            await DownloadAsync(artifact, target, inputName, cancel);
            return;
        }

        string source;
        if (uri.StartsWith("package:", StringComparison.Ordinal))
        {
            var root = Path.GetFullPath(packageDirectory);
            source = Path.GetFullPath(Path.Combine(root, uri["package:".Length..]));
            if (!source.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                throw new StepInputException($"input '{inputName}': '{uri}' points outside the package");
            }
        }
        else if (uri.StartsWith("file:", StringComparison.Ordinal))
        {
            source = uri["file:".Length..];
        }
        else
        {
            throw new StepInputException($"input '{inputName}': unsupported URI '{uri}' (use blob:, package: or file:)");
        }

        if (File.Exists(source))
        {
            File.Copy(source, target, overwrite: true);
        }
        else if (Directory.Exists(source))
        {
            CopyDirectory(source, target);
        }
        else
        {
            throw new StepInputException($"input '{inputName}': '{uri}' does not exist ({source})");
        }
    }

    /// <summary>Uploads each local file to its blob in the outputs container, several at a time.</summary>
    public Task UploadAsync(IReadOnlyList<(string File, string Blob)> files, CancellationToken cancel) =>
        Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = ParallelTransfers, CancellationToken = cancel },
            async (f, ct) => await outputs.GetBlobClient(f.Blob).UploadAsync(f.File, ct));

    private async Task DownloadAsync(ArtifactRef artifact, string target, string inputName, CancellationToken cancel)
    {
        var rest = artifact.Uri["blob:".Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0)
        {
            throw new StepInputException($"input '{inputName}': '{artifact.Uri}' is not blob:CONTAINER/PATH");
        }

        var container = blobs.GetBlobContainerClient(rest[..slash]);
        var path = rest[(slash + 1)..];
        if (!artifact.IsDirectory)
        {
            try
            {
                // No existence check first: a missing blob answers 404 to the download itself.
                await container.GetBlobClient(path).DownloadToAsync(target, cancel);
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                throw new StepInputException($"input '{inputName}': blob '{artifact.Uri}' does not exist");
            }

            return;
        }

        var items = new List<string>();
        await foreach (var item in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, path + "/", cancel))
        {
            items.Add(item.Name);
        }

        Directory.CreateDirectory(target);
        await Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = ParallelTransfers, CancellationToken = cancel }, async (name, ct) =>
        {
            var local = Path.Combine(target, name[(path.Length + 1)..]);
            Directory.CreateDirectory(Path.GetDirectoryName(local)!);
            await container.GetBlobClient(name).DownloadToAsync(local, ct);
        });
    }

    private static void CopyDirectory(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var dest = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(dest)!);
            File.Copy(file, dest, overwrite: true);
        }
    }
}

/// <summary>An input that cannot be provided: the step fails with this message, never a stack trace.</summary>
internal sealed class StepInputException(string message) : Exception(message);
