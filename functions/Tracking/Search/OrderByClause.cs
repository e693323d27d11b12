namespace Serverless.Tracking.Search;

/// <summary>One <c>order_by</c> entry, e.g. <c>metrics.acc DESC</c>.</summary>
/// <param name="Kind">What the key names.</param>
/// <param name="Key">The key or attribute name.</param>
/// <param name="Ascending">Sort direction (ascending unless DESC is given).</param>
public sealed record OrderByClause(FilterEntityKind Kind, string Key, bool Ascending)
{
    /// <summary>Parses an order-by entry.</summary>
    /// <exception cref="TrackingException">INVALID_PARAMETER_VALUE naming what is wrong.</exception>
    public static OrderByClause Parse(string text) => SearchFilter.ParseOrderBy(text);
}
