using System.Security.Cryptography;
using System.Text;

namespace Serverless.Pipelines.Packaging;

/// <summary>Lists a folder's package files and computes the content digest. Local only, no storage.</summary>
public static class PackageScanner
{
    /// <summary>The files of <paramref name="folder"/> that belong in a package, sorted by path (ordinal).</summary>
    /// <param name="folder">The folder.</param>
    /// <param name="origin">The origin recorded on each file.</param>
    /// <param name="rules">Exclusions; defaults to the folder's <c>.pipelineignore</c>.</param>
    public static IReadOnlyList<PackageFile> Scan(string folder, string origin = "source", IgnoreRules? rules = null)
    {
        ArgumentNullException.ThrowIfNull(folder);
        rules ??= IgnoreRules.ForFolder(folder);
        var files = new List<PackageFile>();
        Walk(new DirectoryInfo(folder), string.Empty);
        files.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return files;

        void Walk(DirectoryInfo dir, string prefix)
        {
            foreach (var entry in dir.EnumerateFileSystemInfos())
            {
                var rel = prefix + entry.Name;
                // Symlinks are skipped: following them could pull in anything on the machine.
                if (entry.LinkTarget is not null)
                {
                    continue;
                }

                if (entry is DirectoryInfo sub)
                {
                    if (!rules.IsIgnored(rel, isDirectory: true))
                    {
                        Walk(sub, rel + "/");
                    }
                }
                else if (entry is FileInfo file && !rules.IsIgnored(rel, isDirectory: false))
                {
                    files.Add(new PackageFile(rel, FileDigest(file.FullName), file.Length, origin));
                }
            }
        }
    }

    /// <summary>SHA-256 of a file as <c>sha256:HEX</c>.</summary>
    public static string FileDigest(string path)
    {
        using var stream = File.OpenRead(path);
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>
    /// The digest of a file list: SHA-256 over one line per file, <c>PATH\0SIZE\0DIGEST\n</c>, in path order.
    /// Paths are part of it, so renaming a file changes the digest.
    /// </summary>
    public static string Digest(IEnumerable<PackageFile> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var sb = new StringBuilder();
        foreach (var f in files.OrderBy(f => f.Path, StringComparer.Ordinal))
        {
            sb.Append(f.Path).Append('\0').Append(f.Size).Append('\0').Append(f.Digest).Append('\n');
        }

        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }
}
