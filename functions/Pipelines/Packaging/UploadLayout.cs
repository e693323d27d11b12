using Serverless.Pipelines.Definition;

namespace Serverless.Pipelines.Packaging;

/// <summary>
/// How a pipeline folder travels as a zip (<c>PUT /api/pipelines/{name}/package</c>) so the server publishes the
/// same version a local publish would. Without build inputs the folder's files sit at the zip's root. With
/// them, the zip holds the smallest tree containing the folder and every input, at their relative places, and
/// a <see cref="FolderMarker"/> file names the pipeline folder inside it; the build's <c>../</c> paths then
/// resolve on the server as they do in the source tree.
/// </summary>
public static class UploadLayout
{
    /// <summary>The root entry naming the pipeline folder's path in the zip ('/'-separated).</summary>
    public const string FolderMarker = ".pipeline-folder";

    /// <summary>
    /// The zip entries for <paramref name="folder"/>: entry name → local file, sorted by entry name, plus the
    /// marker's text when the layout needs one.
    /// </summary>
    /// <exception cref="PipelineValidationException">A build input does not exist or is inside the folder.</exception>
    public static (IReadOnlyList<(string Entry, string LocalPath)> Files, string? Marker) Entries(string folder, PipelineDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(definition);
        folder = Path.GetFullPath(folder);
        var sources = PackageScanner.Scan(folder);
        if (definition.BuildInputs.Count == 0)
        {
            return ([.. sources.Select(f => (f.Path, Path.Combine(folder, f.Path)))], null);
        }

        var inputs = BuildInputScanner.Scan(folder, definition.BuildInputs);
        var locals = inputs.Select(f => Path.GetFullPath(Path.Combine(folder, f.Path))).ToList();
        var root = definition.BuildInputs
            .Select(i => Path.GetFullPath(Path.Combine(folder, i.Path)))
            .Aggregate(folder, CommonAncestor);
        string Entry(string local) => Path.GetRelativePath(root, local).Replace(Path.DirectorySeparatorChar, '/');
        var files = sources.Select(f => Path.Combine(folder, f.Path)).Concat(locals)
            .Select(local => (Entry(local), local))
            .DistinctBy(e => e.Item1, StringComparer.Ordinal)
            .OrderBy(e => e.Item1, StringComparer.Ordinal)
            .ToList();
        return (files, Entry(folder));
    }

    /// <summary>
    /// The pipeline folder inside an extracted upload: the one the marker names, else the root or its single
    /// top-level folder when that holds <c>pipeline.yaml</c>; null when there is none.
    /// </summary>
    /// <exception cref="InvalidOperationException">The marker names a path outside the upload or without a pipeline.</exception>
    public static string? Locate(string extracted)
    {
        ArgumentNullException.ThrowIfNull(extracted);
        extracted = Path.GetFullPath(extracted);
        var marker = Path.Combine(extracted, FolderMarker);
        if (File.Exists(marker))
        {
            var named = File.ReadAllText(marker).Trim();
            var folder = Path.GetFullPath(Path.Combine(extracted, named));
            if (!folder.StartsWith(extracted + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                || !File.Exists(Path.Combine(folder, PipelinePackager.DefinitionFileName)))
            {
                throw new InvalidOperationException($"{FolderMarker} names '{named}', which is not a folder with a {PipelinePackager.DefinitionFileName} inside the zip");
            }

            return folder;
        }

        if (File.Exists(Path.Combine(extracted, PipelinePackager.DefinitionFileName)))
        {
            return extracted;
        }

        var dirs = Directory.GetDirectories(extracted);
        return dirs.Length == 1 && Directory.GetFiles(extracted).Length == 0 && File.Exists(Path.Combine(dirs[0], PipelinePackager.DefinitionFileName))
            ? dirs[0]
            : null;
    }

    private static string CommonAncestor(string a, string b)
    {
        var sep = Path.DirectorySeparatorChar;
        var partsA = a.TrimEnd(sep).Split(sep);
        var partsB = b.TrimEnd(sep).Split(sep);
        var n = 0;
        while (n < partsA.Length && n < partsB.Length && partsA[n] == partsB[n])
        {
            n++;
        }

        var common = string.Join(sep, partsA.Take(n));
        return common.Length == 0 ? sep.ToString() : common;
    }
}
