using System.Collections.Concurrent;
using System.Text;

namespace Serverless.Tracking.Search;

/// <summary>
/// Remembers, per search shape (experiments, view, filter, leading metric ordering), the value of the
/// ordering metric at ranks 1, 2, 4, 8, … of the last full answer, so that the next search of the same
/// shape can ask the table service only for the rows that can still reach its page
/// (<c>metrics.acc DESC</c> with 100 results needs the runs with <c>acc</c> at or above the value at
/// rank ~200, not all of them).
/// </summary>
/// <remarks>
/// A hint only narrows what is read, never what is answered: the caller uses a narrowed read only when
/// it still holds more matching runs than the page needs (then every run left out ranks below all of
/// them), and otherwise reads everything again and records fresh ranks. A stale hint therefore costs
/// one extra query, never a wrong or short page.
/// </remarks>
internal sealed class RankHints
{
    // A shape is a few hundred bytes; this bounds the memory to well under a megabyte.
    private const int MaxShapes = 1024;

    private readonly ConcurrentDictionary<string, double[]> _ranks = new(StringComparer.Ordinal);

    /// <summary>The key of a search shape, or null when its ordering does not lead with a metric.</summary>
    public static string? Shape(IEnumerable<string> experimentIds, ViewType view, SearchFilter filter, IReadOnlyList<OrderByClause> orderBy)
    {
        if (orderBy.Count == 0 || orderBy[0].Kind != FilterEntityKind.Metric)
        {
            return null;
        }

        var builder = new StringBuilder();
        foreach (var id in experimentIds.Order(StringComparer.Ordinal))
        {
            builder.Append(id).Append(',');
        }

        builder.Append('|').Append(view.ToString()).Append('|').Append(filter.Text).Append('|');
        foreach (var clause in orderBy)
        {
            builder.Append(clause.Kind.ToString()).Append('.').Append(clause.Key).Append(clause.Ascending ? " ASC;" : " DESC;");
        }

        return builder.ToString();
    }

    /// <summary>
    /// The ordering metric's value at a rank of at least twice <paramref name="needed"/> in the last
    /// full answer (the margin absorbs runs deleted or changed since), or null when there is none.
    /// </summary>
    public double? Threshold(string shape, int needed)
    {
        if (!_ranks.TryGetValue(shape, out var values))
        {
            return null;
        }

        var want = 2L * Math.Max(needed, 1);
        for (var i = 0; i < values.Length; i++)
        {
            if ((1L << i) >= want)
            {
                return values[i];
            }
        }

        return null;
    }

    /// <summary>
    /// Records the ordering metric's values of a full answer, in answer order; values end at the first
    /// run without the metric or with NaN (no threshold can be drawn past those).
    /// </summary>
    public void Record(string shape, IEnumerable<double?> orderedValues)
    {
        var ranks = new List<double>();
        var rank = 0L;
        foreach (var value in orderedValues)
        {
            if (value is not { } v || double.IsNaN(v))
            {
                break;
            }

            rank++;
            if (rank == 1L << ranks.Count)
            {
                ranks.Add(v);
            }
        }

        if (ranks.Count == 0)
        {
            _ranks.TryRemove(shape, out _);
            return;
        }

        if (_ranks.Count >= MaxShapes)
        {
            _ranks.Clear();
        }

        _ranks[shape] = [.. ranks];
    }
}
