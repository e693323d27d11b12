namespace Serverless.Pipelines.Parsing;

/// <summary>"Did you mean" hints for misspelt keys and names.</summary>
internal static class NameSuggestions
{
    /// <summary>The closest candidate within an edit distance of a third of the name's length, or null.</summary>
    public static string? Closest(string name, IEnumerable<string> candidates)
    {
        var best = candidates.Select(c => (c, d: Distance(name, c))).OrderBy(x => x.d).ThenBy(x => x.c, StringComparer.Ordinal).FirstOrDefault();
        return best.c is not null && best.d <= Math.Max(1, name.Length / 3) ? best.c : null;
    }

    private static int Distance(string a, string b)
    {
        var prev = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var cur = new int[b.Length + 1];
            cur[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            prev = cur;
        }

        return prev[b.Length];
    }
}
