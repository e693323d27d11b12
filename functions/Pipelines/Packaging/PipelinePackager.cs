using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Serverless.Pipelines.Definition;
using Serverless.Pipelines.Parsing;
using Serverless.Storage;

namespace Serverless.Pipelines.Packaging;

/// <summary>
/// Publishes a pipeline folder (<c>pipeline.yaml</c> + step code) to Blob storage as an immutable,
/// content-addressed version, and fetches versions back to a local directory.
/// </summary>
/// <remarks>
/// Layout in the container: <c>PIPELINE/VERSION/src/PATH</c> for source files,
/// <c>PIPELINE/VERSION/build/PATH</c> for build output, and <c>PIPELINE/VERSION/manifest.json</c>, written
/// last and only if absent, so a manifest's presence means the version is complete.
/// </remarks>
public sealed class PipelinePackager
{
    /// <summary>The definition file every pipeline folder has.</summary>
    public const string DefinitionFileName = "pipeline.yaml";

    /// <summary>Where the build output lands in a fetched package.</summary>
    public const string BuildDirectoryName = ".build";

    private const string ManifestMarker = ".package-manifest.json";
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private readonly BlobContainerClient _container;
    private readonly PackageStoreOptions _options;

    /// <summary>Creates the packager over the platform's storage.</summary>
    public PipelinePackager(StorageClients storage, PackageStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(storage);
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _container = storage.Blobs.GetBlobContainerClient(options.ContainerName);
    }

    /// <summary>
    /// Publishes <paramref name="folder"/> unless the same content is already published. The definition is
    /// validated first; an invalid pipeline is never published.
    /// </summary>
    /// <exception cref="PipelineValidationException">The pipeline definition is invalid.</exception>
    /// <exception cref="InvalidOperationException">The build command failed.</exception>
    public async Task<PublishResult> PublishAsync(string folder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(folder);
        folder = Path.GetFullPath(folder);
        var definitionPath = Path.Combine(folder, DefinitionFileName);
        if (!File.Exists(definitionPath))
        {
            throw new FileNotFoundException($"{definitionPath} not found: a pipeline folder needs a {DefinitionFileName}", definitionPath);
        }

        var relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), definitionPath);
        var definition = PipelineParser.Load(definitionPath, relative.StartsWith("..", StringComparison.Ordinal) ? definitionPath : relative);
        var sources = PackageScanner.Scan(folder);
        var buildInputs = BuildInputScanner.Scan(folder, definition.BuildInputs);
        var codeDigest = PackageScanner.Digest([.. sources, .. buildInputs]);
        var version = codeDigest["sha256:".Length..][..16];
        if (await GetAsync(definition.Name, version, cancellationToken) is { } existing)
        {
            return new PublishResult(existing, Created: false);
        }

        await _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        var buildFiles = new List<PackageFile>();
        string? buildDir = null;
        try
        {
            if (!string.IsNullOrWhiteSpace(definition.Build))
            {
                buildDir = Directory.CreateTempSubdirectory("pipeline-build-").FullName;
                await RunBuildAsync(definition.Build, folder, buildDir, cancellationToken);

                // An input edited during the build may or may not be in the output; the version would name the old content.
                if (buildInputs.Count > 0 && PackageScanner.Digest(BuildInputScanner.Scan(folder, definition.BuildInputs)) != PackageScanner.Digest(buildInputs))
                {
                    throw new InvalidOperationException("a build input changed while the pipeline was being built; publish again");
                }

                buildFiles.AddRange(PackageScanner.Scan(buildDir, "build", IgnoreRules.None));
            }

            var prefix = $"{definition.Name}/{version}/";
            await UploadAllAsync(sources.Select(f => (f, Path.Combine(folder, f.Path), prefix + "src/" + f.Path)), cancellationToken);
            await UploadAllAsync(buildFiles.Select(f => (f, Path.Combine(buildDir!, f.Path), prefix + "build/" + f.Path)), cancellationToken);

            var (commit, dirty) = await GitInfoAsync(folder, definition.BuildInputs.Select(i => i.Path), cancellationToken);
            var manifest = new PackageManifest
            {
                Pipeline = definition.Name,
                Version = version,
                CodeDigest = codeDigest,
                DefinitionDigest = PackageScanner.FileDigest(definitionPath),
                GitCommit = commit,
                GitDirty = dirty,
                Runtime = definition.Environment.Runtime,
                Image = definition.Environment.Image,
                PublishedAt = DateTimeOffset.UtcNow,
                Files = [.. sources, .. buildFiles],
                BuildInputs = buildInputs,
            };
            try
            {
                await _container.GetBlobClient(prefix + "manifest.json").UploadAsync(
                    BinaryData.FromObjectAsJson(manifest, s_json),
                    new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } },
                    cancellationToken);
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                // Someone published the same content at the same moment; theirs is as good as ours.
                return new PublishResult((await GetAsync(definition.Name, version, cancellationToken))!, Created: false);
            }

            return new PublishResult(manifest, Created: true);
        }
        finally
        {
            if (buildDir is not null)
            {
                Directory.Delete(buildDir, recursive: true);
            }
        }
    }

    /// <summary>The text of a published version's <c>pipeline.yaml</c>, or null when the version does not exist.</summary>
    public async Task<string?> ReadDefinitionAsync(string pipeline, string version, CancellationToken cancellationToken = default)
    {
        try
        {
            var content = await _container.GetBlobClient($"{pipeline}/{version}/src/{DefinitionFileName}").DownloadContentAsync(cancellationToken);
            return content.Value.Content.ToString();
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Names of the pipelines with at least one blob in the store.</summary>
    public async Task<IReadOnlyList<string>> ListPipelinesAsync(CancellationToken cancellationToken = default)
    {
        var names = new List<string>();
        if (!await _container.ExistsAsync(cancellationToken))
        {
            return names;
        }

        await foreach (var item in _container.GetBlobsByHierarchyAsync(BlobTraits.None, BlobStates.None, "/", null, cancellationToken))
        {
            if (item.IsPrefix)
            {
                names.Add(item.Prefix.TrimEnd('/'));
            }
        }

        return names;
    }

    /// <summary>The manifest of a published version, or null.</summary>
    public async Task<PackageManifest?> GetAsync(string pipeline, string version, CancellationToken cancellationToken = default)
    {
        try
        {
            var content = await _container.GetBlobClient($"{pipeline}/{version}/manifest.json").DownloadContentAsync(cancellationToken);
            return content.Value.Content.ToObjectFromJson<PackageManifest>(s_json);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <summary>
    /// Downloads a version into <paramref name="targetDirectory"/>: source files at their paths, build output
    /// under <c>.build/</c>. Digests are verified. A directory already holding this version is reused.
    /// </summary>
    /// <exception cref="InvalidOperationException">The version does not exist or a file does not match its digest.</exception>
    public async Task<PackageManifest> FetchAsync(string pipeline, string version, string targetDirectory, CancellationToken cancellationToken = default)
    {
        var manifest = await GetAsync(pipeline, version, cancellationToken)
            ?? throw new InvalidOperationException($"package {pipeline}@{version} is not published in container '{_options.ContainerName}'");
        var marker = Path.Combine(targetDirectory, ManifestMarker);
        if (File.Exists(marker) && JsonSerializer.Deserialize<PackageManifest>(await File.ReadAllTextAsync(marker, cancellationToken), s_json)?.CodeDigest == manifest.CodeDigest)
        {
            return manifest;
        }

        Directory.CreateDirectory(targetDirectory);
        var root = Path.GetFullPath(targetDirectory);
        await Parallel.ForEachAsync(manifest.Files, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (file, ct) =>
        {
            var local = Path.GetFullPath(Path.Combine(root, file.Origin == "build" ? Path.Combine(BuildDirectoryName, file.Path) : file.Path));
            if (!local.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"package file path '{file.Path}' escapes the target directory");
            }

            Directory.CreateDirectory(Path.GetDirectoryName(local)!);
            var blob = _container.GetBlobClient($"{pipeline}/{version}/{(file.Origin == "build" ? "build" : "src")}/{file.Path}");
            await blob.DownloadToAsync(local, ct);
            var digest = PackageScanner.FileDigest(local);
            if (digest != file.Digest)
            {
                throw new InvalidOperationException($"package file '{file.Path}' of {pipeline}@{version} has digest {digest}, expected {file.Digest}");
            }
        });
        await File.WriteAllTextAsync(marker, JsonSerializer.Serialize(manifest, s_json), cancellationToken);
        return manifest;
    }

    /// <summary>The versions published for <paramref name="pipeline"/>, newest first.</summary>
    public async Task<IReadOnlyList<PackageManifest>> ListAsync(string pipeline, CancellationToken cancellationToken = default)
    {
        var result = new List<PackageManifest>();
        if (!await _container.ExistsAsync(cancellationToken))
        {
            return result;
        }

        await foreach (var item in _container.GetBlobsByHierarchyAsync(BlobTraits.None, BlobStates.None, "/", pipeline + "/", cancellationToken))
        {
            if (item.IsPrefix && await GetAsync(pipeline, item.Prefix[(pipeline.Length + 1)..].TrimEnd('/'), cancellationToken) is { } m)
            {
                result.Add(m);
            }
        }

        return result.OrderByDescending(m => m.PublishedAt).ToList();
    }

    // Each file is read once and the bytes uploaded are the bytes hashed: a file edited after the scan fails the
    // publish here, with its name, instead of producing a version whose manifest does not match its blobs.
    private async Task UploadAllAsync(IEnumerable<(PackageFile File, string Local, string BlobName)> items, CancellationToken cancellationToken) =>
        await Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (item, ct) =>
        {
            var bytes = await File.ReadAllBytesAsync(item.Local, ct);
            if ("sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes)) != item.File.Digest)
            {
                throw new InvalidOperationException($"'{item.File.Path}' changed while the pipeline was being published; publish again");
            }

            await _container.GetBlobClient(item.BlobName).UploadAsync(BinaryData.FromBytes(bytes), overwrite: true, ct);
        });

    private async Task RunBuildAsync(string command, string folder, string outputDir, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("/bin/sh") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        start.Environment["SERVERLESS_BUILD_OUTPUT"] = outputDir;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start /bin/sh for the build command");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.BuildTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"the build command '{command}' did not finish within {_options.BuildTimeout}");
        }

        if (process.ExitCode != 0)
        {
            var output = (await stdout) + (await stderr);
            var tail = output.Length > 4000 ? output[^4000..] : output;
            throw new InvalidOperationException($"the build command '{command}' failed with exit code {process.ExitCode}:{Environment.NewLine}{tail}");
        }
    }

    private static async Task<(string? Commit, bool Dirty)> GitInfoAsync(string folder, IEnumerable<string> buildInputs, CancellationToken cancellationToken)
    {
        try
        {
            var commit = (await RunGitAsync(folder, ["rev-parse", "HEAD"], cancellationToken))?.Trim();
            if (string.IsNullOrEmpty(commit))
            {
                return (null, false);
            }

            // An input outside the work tree makes git refuse the whole pathspec; the folder alone still tells.
            var status = await RunGitAsync(folder, ["status", "--porcelain", "--", ".", .. buildInputs], cancellationToken)
                ?? await RunGitAsync(folder, ["status", "--porcelain", "--", "."], cancellationToken);
            return (commit, !string.IsNullOrWhiteSpace(status));
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // git is not installed: the package simply records no commit.
            return (null, false);
        }
    }

    private static async Task<string?> RunGitAsync(string folder, string[] args, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start);
        if (process is null)
        {
            return null;
        }

        var output = await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return process.ExitCode == 0 ? output : null;
    }
}
