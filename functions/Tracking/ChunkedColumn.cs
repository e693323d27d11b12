using System.Collections.Concurrent;
using System.Text;
using Azure.Data.Tables;

namespace Serverless.Tracking;

/// <summary>
/// Stores a long string across several Table properties (<c>Name</c>, <c>Name1</c>, <c>Name2</c>, …),
/// because one string property holds at most 32 K UTF-16 characters while an entity holds 1 MiB.
/// </summary>
internal static class ChunkedColumn
{
    public const int ChunkChars = 30_000;
    public const int MaxChunks = 15;

    // Column names are constants in code, so this never holds more than a handful of entries; it
    // saves building fifteen strings per column on every run-row write.
    private static readonly ConcurrentDictionary<string, string[]> s_names = new(StringComparer.Ordinal);

    /// <summary>The property names a column may occupy, for <c>$select</c>.</summary>
    public static IReadOnlyList<string> Names(string name) =>
        s_names.GetOrAdd(name, static n =>
            [.. Enumerable.Range(0, MaxChunks).Select(i => i == 0 ? n : n + i.ToString(System.Globalization.CultureInfo.InvariantCulture))]);

    public static void Write(TableEntity entity, string name, string? value)
    {
        var names = Names(name);
        value ??= "";
        var chunks = (value.Length + ChunkChars - 1) / ChunkChars;
        if (chunks > MaxChunks)
        {
            throw TrackingException.Invalid($"'{name}' is too large to store ({value.Length} characters; the limit is {ChunkChars * MaxChunks})");
        }

        for (var i = 0; i < names.Count; i++)
        {
            if (i < Math.Max(chunks, 1))
            {
                entity[names[i]] = value.Substring(i * ChunkChars, Math.Min(ChunkChars, value.Length - (i * ChunkChars)));
            }
            else
            {
                // Replace-mode updates drop properties that are absent, so a shrinking value loses its tail.
                entity.Remove(names[i]);
            }
        }
    }

    public static string? Read(TableEntity entity, string name)
    {
        if (entity.GetString(name) is not { } first)
        {
            return null;
        }

        if (!entity.ContainsKey(name + "1"))
        {
            return first;
        }

        var builder = new StringBuilder(first);
        for (var i = 1; i < MaxChunks && entity.GetString(name + i.ToString(System.Globalization.CultureInfo.InvariantCulture)) is { } next; i++)
        {
            builder.Append(next);
        }

        return builder.ToString();
    }
}
