namespace Serverless.Host.Functions;

/// <summary>
/// An HTTP-triggered function: the Functions host checks its key (unless anonymous) and proxies the
/// request unchanged to the same path on the handler.
/// </summary>
/// <param name="Name">The function (folder) name.</param>
/// <param name="Route">The route template, relative to the empty route prefix; may end in a <c>{*path}</c> catch-all.</param>
/// <param name="Methods">Allowed methods, lower case.</param>
/// <param name="AuthLevel"><c>anonymous</c>, <c>function</c> or <c>admin</c>.</param>
public sealed record HttpFunction(string Name, string Route, IReadOnlyList<string> Methods, string AuthLevel)
{
    /// <summary>The route's literal part: everything before a trailing catch-all parameter.</summary>
    public string LiteralPrefix
    {
        get
        {
            var star = Route.IndexOf("{*", StringComparison.Ordinal);
            return (star < 0 ? Route : Route[..star]).TrimEnd('/');
        }
    }

    /// <summary>Whether the Functions host would route <paramref name="path"/> (leading slash optional) to this function.</summary>
    public bool Matches(string path)
    {
        var p = path.TrimStart('/').TrimEnd('/');
        var prefix = LiteralPrefix;
        if (!Route.Contains("{*", StringComparison.Ordinal))
        {
            return string.Equals(p, prefix, StringComparison.OrdinalIgnoreCase);
        }

        // A catch-all also matches the empty remainder, so the prefix itself is served too.
        return string.Equals(p, prefix, StringComparison.OrdinalIgnoreCase) ||
            p.StartsWith(prefix + "/", StringComparison.OrdinalIgnoreCase);
    }
}
