using Serverless.Pipelines.Definition;

namespace Serverless.Pipelines.Packaging;

/// <summary>
/// Lists the files of a pipeline's <c>build.inputs</c>: the paths outside its folder that the build reads. They
/// go into the version digest so that a change to shared code builds a new version rather than reusing a build
/// of the old code.
/// </summary>
public static class BuildInputScanner
{
    /// <summary>The origin recorded on build-input files.</summary>
    public const string Origin = "build-input";

    /// <summary>
    /// The files of every build input, by '/'-separated path relative to <paramref name="folder"/> (so they start
    /// with <c>../</c>), sorted; a folder's files follow its own <c>.pipelineignore</c> and the default exclusions.
    /// </summary>
    /// <exception cref="PipelineValidationException">An input does not exist or lies inside the pipeline folder; all such entries are listed.</exception>
    public static IReadOnlyList<PackageFile> Scan(string folder, IReadOnlyList<BuildInput> inputs)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(inputs);
        folder = Path.GetFullPath(folder);
        var problems = new List<PipelineDiagnostic>();
        var files = new Dictionary<string, PackageFile>(StringComparer.Ordinal);
        foreach (var input in inputs)
        {
            var full = Path.GetFullPath(Path.Combine(folder, input.Path));
            var relative = Path.GetRelativePath(folder, full).Replace(Path.DirectorySeparatorChar, '/');
            if (!relative.StartsWith("../", StringComparison.Ordinal) && relative != "..")
            {
                problems.Add(new(input.Mark, $"build input '{input.Path}' is inside the pipeline folder, which is always part of the version; list only paths outside it"));
            }
            else if (File.Exists(full))
            {
                var info = new FileInfo(full);
                files[relative] = new PackageFile(relative, PackageScanner.FileDigest(full), info.Length, Origin);
            }
            else if (Directory.Exists(full))
            {
                var prefix = relative == ".." ? "../" : relative + "/";
                foreach (var f in PackageScanner.Scan(full, Origin))
                {
                    files[prefix + f.Path] = f with { Path = prefix + f.Path };
                }
            }
            else
            {
                problems.Add(new(input.Mark, $"build input '{input.Path}' does not exist (resolved to {full})"));
            }
        }

        if (problems.Count > 0)
        {
            throw new PipelineValidationException(problems);
        }

        return files.Values.OrderBy(f => f.Path, StringComparer.Ordinal).ToList();
    }
}
