namespace Serverless.Tracking;

/// <summary>An open artifact: its bytes as a stream (dispose it), length and content type.</summary>
/// <param name="Content">The blob's bytes, streamed.</param>
/// <param name="Length">Size in bytes.</param>
/// <param name="ContentType">The content type stored with it.</param>
public sealed record ArtifactDownload(Stream Content, long Length, string? ContentType);
