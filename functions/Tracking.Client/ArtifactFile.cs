namespace Serverless.Tracking.Client;

/// <summary>An entry of an artifact listing.</summary>
/// <param name="Path">Name relative to the listed directory.</param>
/// <param name="IsDir">True for a directory.</param>
/// <param name="FileSize">Size in bytes, for files.</param>
public sealed record ArtifactFile(string Path, bool IsDir, long? FileSize = null);
