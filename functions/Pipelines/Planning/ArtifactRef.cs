namespace Serverless.Pipelines.Planning;

/// <summary>Where an artifact is and what its content digest is.</summary>
/// <param name="Uri">
/// <c>blob:CONTAINER/PATH</c> for artifacts in storage, <c>package:PATH</c> for a file in the pipeline package,
/// <c>file:/ABSOLUTE</c> for a local file (local execution only).
/// </param>
/// <param name="Digest"><c>sha256:HEX</c> of the content, or null until known.</param>
/// <param name="IsDirectory">True when the artifact is a directory (blob prefix).</param>
public sealed record ArtifactRef(string Uri, string? Digest = null, bool IsDirectory = false);
