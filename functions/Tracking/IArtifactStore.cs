using Serverless.Tracking.Client;

namespace Serverless.Tracking;

/// <summary>
/// Artifact bytes by validated relative path (see <see cref="ArtifactPath"/>). Content is streamed
/// in both directions; nothing buffers a whole file.
/// </summary>
public interface IArtifactStore
{
    /// <summary>Creates the container if missing.</summary>
    Task InitializeAsync(CancellationToken ct = default);

    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/>; the file appears only once fully written.</summary>
    Task UploadAsync(string path, Stream content, string? contentType, CancellationToken ct = default);

    /// <summary>Opens a file for reading, or null when there is no file at <paramref name="path"/>.</summary>
    Task<ArtifactDownload?> OpenReadAsync(string path, CancellationToken ct = default);

    /// <summary>The direct children of directory <paramref name="path"/>; empty for a file or a missing directory.</summary>
    Task<IReadOnlyList<ArtifactFile>> ListAsync(string path, CancellationToken ct = default);

    /// <summary>Deletes a file, or a directory with everything below it.</summary>
    Task DeleteAsync(string path, CancellationToken ct = default);
}
