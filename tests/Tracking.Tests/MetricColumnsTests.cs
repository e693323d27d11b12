namespace Serverless.Tracking.Tests;

public sealed class MetricColumnsTests
{
    private static readonly double[] s_ordered =
    [
        double.NegativeInfinity, -double.MaxValue, -1e10, -1.5, -double.Epsilon, 0.0, double.Epsilon, 0.25, 1.0, 1e300, double.MaxValue, double.PositiveInfinity,
    ];

    [Fact]
    public void Encode_OrdinalOrder_IsNumericOrder()
    {
        var encoded = s_ordered.Select(MetricColumns.Encode).ToList();

        Assert.Equal(encoded.Order(StringComparer.Ordinal), encoded);
        Assert.Equal(encoded.Count, encoded.Distinct().Count());
    }

    [Fact]
    public void Decode_RoundTripsEveryValue_IncludingNonFinite()
    {
        foreach (var value in s_ordered.Append(double.NaN).Append(Math.PI))
        {
            Assert.Equal(value, MetricColumns.Decode(MetricColumns.Encode(value)));
        }
    }

    [Fact]
    public void Encode_NegativeZero_EqualsZero()
    {
        Assert.Equal(MetricColumns.Encode(0.0), MetricColumns.Encode(-0.0));
    }

    [Fact]
    public void Decode_ForeignText_IsNull()
    {
        Assert.Null(MetricColumns.Decode("0.5"));
        Assert.Null(MetricColumns.Decode(null));
        Assert.Null(MetricColumns.Decode("zzzzzzzzzzzzzzzz"));
    }

    [Fact]
    public void PropertyName_DistinctKeys_NeverShareAColumn()
    {
        var keys = new[] { "a_b", "a.b", "a/b", "a-b", "a b", "ab", "a_5Fb", "é" };

        var names = keys.Select(MetricColumns.PropertyName).ToList();

        Assert.Equal(keys.Length, names.Distinct().Count());
        Assert.All(names, n => Assert.Matches("^M_[A-Za-z0-9_]+$", n!));
    }

    [Fact]
    public void PropertyName_TooLongForAProperty_IsNull()
    {
        Assert.Null(MetricColumns.PropertyName(new string('/', 100)));
        Assert.NotNull(MetricColumns.PropertyName(new string('a', 250)));
    }
}
