namespace Serverless.Pipelines.Packaging;

/// <summary>
/// An immutable, content-addressed package version: what a run records so it can use exactly the same
/// definition and code later.
/// </summary>
public sealed record PackageManifest
{
    /// <summary>The pipeline's name.</summary>
    public required string Pipeline { get; init; }

    /// <summary>The version id: the first 16 hex digits of <see cref="CodeDigest"/>.</summary>
    public required string Version { get; init; }

    /// <summary>SHA-256 over the sorted list and contents of the source files and the build inputs (<c>sha256:HEX</c>).</summary>
    public required string CodeDigest { get; init; }

    /// <summary>SHA-256 of <c>pipeline.yaml</c> (<c>sha256:HEX</c>).</summary>
    public required string DefinitionDigest { get; init; }

    /// <summary>The git commit of the folder when published, if it is in a git work tree.</summary>
    public string? GitCommit { get; init; }

    /// <summary>True when the folder had uncommitted changes at publish time.</summary>
    public bool GitDirty { get; init; }

    /// <summary>The environment's runtime (copied from the definition for quick inspection).</summary>
    public string? Runtime { get; init; }

    /// <summary>The environment's container image.</summary>
    public string? Image { get; init; }

    /// <summary>When this version was first published (informational; not part of the digest).</summary>
    public DateTimeOffset PublishedAt { get; init; }

    /// <summary>Every file, source first then build output, each sorted by path.</summary>
    public required IReadOnlyList<PackageFile> Files { get; init; }

    /// <summary>
    /// The files outside the pipeline folder that the build read (<c>build.inputs</c>), by path relative to the
    /// folder. They are digested into <see cref="CodeDigest"/> but not stored: the build output is what runs.
    /// </summary>
    public IReadOnlyList<PackageFile> BuildInputs { get; init; } = [];

    /// <summary>The digest of the package file at <paramref name="path"/> (source files), or null.</summary>
    public string? DigestOf(string path) =>
        Files.FirstOrDefault(f => f.Origin == "source" && f.Path == path.TrimStart('/'))?.Digest;
}
