using System.Collections.Concurrent;
using Serverless.Pipelines.Definition;
using Serverless.Pipelines.Packaging;
using Serverless.Pipelines.Parsing;

namespace Serverless.Pipelines.Orchestration;

/// <summary>
/// Published package versions as this host needs them: manifests and parsed definitions in memory, and the
/// files fetched once per version into a local directory. Versions are immutable, so nothing is invalidated.
/// </summary>
public sealed class PackageCache
{
    private readonly PipelinePackager _packager;
    private readonly string _root;
    private readonly ConcurrentDictionary<string, PackageManifest> _manifests = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PipelineDefinition> _definitions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _fetchLocks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _fetched = new(StringComparer.Ordinal);

    /// <summary>Creates the cache.</summary>
    /// <param name="packager">The package store.</param>
    /// <param name="root">Local directory for fetched versions.</param>
    public PackageCache(PipelinePackager packager, string root)
    {
        _packager = packager ?? throw new ArgumentNullException(nameof(packager));
        _root = root ?? throw new ArgumentNullException(nameof(root));
    }

    /// <summary>The package store.</summary>
    public PipelinePackager Packager => _packager;

    /// <summary>The manifest of a version.</summary>
    /// <exception cref="InvalidOperationException">The version is not published.</exception>
    public async Task<PackageManifest> GetManifestAsync(string pipeline, string version, CancellationToken cancellationToken = default)
    {
        var id = $"{pipeline}@{version}";
        if (_manifests.TryGetValue(id, out var manifest))
        {
            return manifest;
        }

        manifest = await _packager.GetAsync(pipeline, version, cancellationToken)
            ?? throw new InvalidOperationException($"package {id} is not published");
        return _manifests.GetOrAdd(id, manifest);
    }

    /// <summary>The parsed definition of a version.</summary>
    /// <exception cref="InvalidOperationException">The version is not published or its definition is invalid.</exception>
    public async Task<PipelineDefinition> GetDefinitionAsync(string pipeline, string version, CancellationToken cancellationToken = default)
    {
        var id = $"{pipeline}@{version}";
        if (_definitions.TryGetValue(id, out var definition))
        {
            return definition;
        }

        var yaml = await _packager.ReadDefinitionAsync(pipeline, version, cancellationToken)
            ?? throw new InvalidOperationException($"package {id} is not published");
        definition = PipelineParser.Parse(yaml, $"{id}/{PipelinePackager.DefinitionFileName}").GetDefinitionOrThrow();
        return _definitions.GetOrAdd(id, definition);
    }

    /// <summary>The local directory holding the version's files, fetching them on first use.</summary>
    public async Task<string> FetchAsync(string pipeline, string version, CancellationToken cancellationToken = default)
    {
        var id = $"{pipeline}@{version}";
        if (_fetched.TryGetValue(id, out var dir))
        {
            return dir;
        }

        // Parallel steps of one run all want the same version at once: one fetch, the others wait for it.
        var gate = _fetchLocks.GetOrAdd(id, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (_fetched.TryGetValue(id, out dir))
            {
                return dir;
            }

            dir = Path.Combine(_root, pipeline, version);
            await _packager.FetchAsync(pipeline, version, dir, cancellationToken);
            _fetched[id] = dir;
            return dir;
        }
        finally
        {
            gate.Release();
        }
    }
}
