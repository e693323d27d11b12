using System.Text;
using System.Text.RegularExpressions;

namespace Serverless.Pipelines.Packaging;

/// <summary>
/// Which files stay out of a package: <c>bin/</c>, <c>obj/</c>, <c>.git/</c>, <c>.build/</c> always, plus the
/// patterns in <c>.pipelineignore</c> (gitignore-style: <c>*</c>, <c>**</c>, <c>?</c>, a trailing <c>/</c>
/// for directories, a leading <c>/</c> to anchor at the root, <c>#</c> comments, <c>!</c> to re-include).
/// </summary>
public sealed class IgnoreRules
{
    private static readonly string[] s_defaults = ["bin/", "obj/", ".git/", ".build/", ".vs/", "node_modules/"];
    private readonly List<(Regex Pattern, bool DirectoryOnly, bool Negated)> _rules = [];

    /// <summary>Rules from <c>.pipelineignore</c> lines (plus the defaults).</summary>
    public IgnoreRules(IEnumerable<string> lines)
        : this(lines, includeDefaults: true)
    {
    }

    private IgnoreRules(IEnumerable<string> lines, bool includeDefaults)
    {
        ArgumentNullException.ThrowIfNull(lines);
        foreach (var raw in (includeDefaults ? s_defaults : []).Concat(lines))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var negated = line.StartsWith('!');
            if (negated)
            {
                line = line[1..];
            }

            var directoryOnly = line.EndsWith('/');
            line = line.TrimEnd('/');
            var anchored = line.StartsWith('/') || line.Contains('/');
            line = line.TrimStart('/');
            var regex = new StringBuilder(anchored ? "^" : "^(.*/)?");
            for (var i = 0; i < line.Length; i++)
            {
                var c = line[i];
                if (c == '*' && i + 1 < line.Length && line[i + 1] == '*')
                {
                    regex.Append(".*");
                    i++;
                }
                else if (c == '*')
                {
                    regex.Append("[^/]*");
                }
                else if (c == '?')
                {
                    regex.Append("[^/]");
                }
                else
                {
                    regex.Append(Regex.Escape(c.ToString()));
                }
            }

            regex.Append('$');
            _rules.Add((new Regex(regex.ToString(), RegexOptions.CultureInvariant), directoryOnly, negated));
        }
    }

    /// <summary>No exclusions at all (for build output and step outputs, which are taken whole).</summary>
    public static IgnoreRules None { get; } = new([], includeDefaults: false);

    /// <summary>Reads <c>.pipelineignore</c> in <paramref name="folder"/> if present.</summary>
    public static IgnoreRules ForFolder(string folder)
    {
        var file = Path.Combine(folder, ".pipelineignore");
        return new IgnoreRules(File.Exists(file) ? File.ReadAllLines(file) : []);
    }

    /// <summary>True when <paramref name="relativePath"/> ('/'-separated) is excluded.</summary>
    public bool IsIgnored(string relativePath, bool isDirectory)
    {
        var ignored = false;
        foreach (var (pattern, directoryOnly, negated) in _rules)
        {
            if ((!directoryOnly || isDirectory) && pattern.IsMatch(relativePath))
            {
                ignored = !negated;
            }
        }

        return ignored;
    }
}
