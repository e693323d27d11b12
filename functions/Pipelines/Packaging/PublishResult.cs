namespace Serverless.Pipelines.Packaging;

/// <summary>The outcome of publishing a pipeline folder.</summary>
/// <param name="Manifest">The package version (new or existing).</param>
/// <param name="Created">False when the same content was already published: nothing was built or uploaded.</param>
public sealed record PublishResult(PackageManifest Manifest, bool Created);
