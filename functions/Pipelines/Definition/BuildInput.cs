namespace Serverless.Pipelines.Definition;

/// <summary>
/// A file or folder outside the pipeline folder that the <c>build</c> command reads (a shared library, the
/// repository's central package versions). Its content is part of the package version, so changing it builds
/// a new version instead of reusing a build made from the old content.
/// </summary>
/// <param name="Path">The path as written, relative to the pipeline folder (for example <c>../shared</c>).</param>
/// <param name="Mark">Where the entry is in the pipeline file.</param>
public sealed record BuildInput(string Path, SourceMark Mark);
