namespace Serverless.Pipelines.Packaging;

/// <summary>One file in a package.</summary>
/// <param name="Path">Path relative to the package root, with '/' separators.</param>
/// <param name="Digest"><c>sha256:HEX</c> of the content.</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="Origin"><c>source</c> (from the pipeline folder) or <c>build</c> (produced by the build command).</param>
public sealed record PackageFile(string Path, string Digest, long Size, string Origin);
