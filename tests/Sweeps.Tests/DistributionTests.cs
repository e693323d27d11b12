namespace Serverless.Sweeps.Tests;

public class DistributionTests
{
    private const int Draws = 4000;

    private static List<object?> Draw(ParameterSpec p, long seed = 1)
    {
        var random = SweepRandom.For(seed, 0);
        return [.. Enumerable.Range(0, Draws).Select(_ => p.Sample(random))];
    }

    private static List<double> Doubles(IEnumerable<object?> values) => [.. values.Select(v => Convert.ToDouble(v, System.Globalization.CultureInfo.InvariantCulture))];

    [Fact]
    public void Constant_AlwaysSameValue()
    {
        Assert.All(Draw(ParameterSpec.Constant("a", "adam")), v => Assert.Equal("adam", v));
    }

    [Fact]
    public void Categorical_Uniform_HitsEveryValueEvenly()
    {
        var values = Draw(ParameterSpec.Categorical("opt", ["sgd", "adam", "rmsprop"]));
        var counts = values.GroupBy(v => v).ToDictionary(g => g.Key!, g => g.Count());
        Assert.Equal(3, counts.Count);
        Assert.All(counts.Values, c => Assert.InRange(c, Draws / 3 * 0.9, Draws / 3 * 1.1));
    }

    [Fact]
    public void Categorical_WithProbabilities_FollowsThem()
    {
        var values = Draw(ParameterSpec.Categorical("b", [16L, 32L, 64L], [0.7, 0.2, 0.1]));
        Assert.InRange(values.Count(v => (long)v! == 16) / (double)Draws, 0.66, 0.74);
        Assert.InRange(values.Count(v => (long)v! == 64) / (double)Draws, 0.08, 0.12);
    }

    [Fact]
    public void IntUniform_IsIntegerWithinInclusiveBounds_AndHitsBothEnds()
    {
        var values = Draw(ParameterSpec.IntUniform("n", 2, 5));
        Assert.All(values, v => Assert.IsType<long>(v));
        var longs = values.Cast<long>().ToList();
        Assert.All(longs, v => Assert.InRange(v, 2, 5));
        Assert.Equal([2L, 3L, 4L, 5L], longs.Distinct().Order());
    }

    [Fact]
    public void Uniform_StaysInBounds_WithMeanInTheMiddle()
    {
        var values = Doubles(Draw(ParameterSpec.Uniform("x", -1, 3)));
        Assert.All(values, v => Assert.InRange(v, -1, 3));
        Assert.InRange(values.Average(), 0.9, 1.1);
    }

    [Fact]
    public void QUniform_GivesMultiplesOfQInsideBounds()
    {
        var values = Doubles(Draw(ParameterSpec.QUniform("x", 0.05, 1.0, 0.1)));
        Assert.All(values, v =>
        {
            Assert.InRange(v, 0.05, 1.0);
            Assert.Equal(0, Math.Abs((v / 0.1) - Math.Round(v / 0.1)), 9);
        });
        Assert.Equal(10, values.Distinct().Count());
    }

    [Fact]
    public void QUniform_IntegerQ_ReturnsIntegers()
    {
        var values = Draw(ParameterSpec.QUniform("batch", 16, 128, 16, integerValued: true));
        Assert.All(values, v => Assert.Equal(0, (long)v! % 16));
        Assert.Equal(8, values.Distinct().Count());
    }

    [Fact]
    public void LogUniformValues_IsUniformInLogSpace()
    {
        var values = Doubles(Draw(ParameterSpec.LogUniformValues("lr", 1e-4, 1e-1)));
        Assert.All(values, v => Assert.InRange(v, 1e-4, 1e-1));

        // A third of the draws per decade, as log-uniform requires (a uniform law would put 90 % in the top decade).
        var perDecade = new[] { values.Count(v => v < 1e-3), values.Count(v => v >= 1e-3 && v < 1e-2), values.Count(v => v >= 1e-2) };
        Assert.All(perDecade, c => Assert.InRange(c, Draws / 3 * 0.9, Draws / 3 * 1.1));
    }

    [Fact]
    public void LogUniform_BoundsAreNaturalLogExponents()
    {
        var values = Doubles(Draw(ParameterSpec.LogUniform("lr", -4, 0)));
        Assert.All(values, v => Assert.InRange(v, Math.Exp(-4), 1.0));
        Assert.InRange(values.Select(v => Math.Log(v)).Average(), -2.1, -1.9);
    }

    [Fact]
    public void QLogUniformValues_RoundsToQ()
    {
        var values = Draw(ParameterSpec.QLogUniformValues("units", 8, 512, 8, integerValued: true));
        Assert.All(values, v =>
        {
            Assert.InRange((long)v!, 8, 512);
            Assert.Equal(0, (long)v! % 8);
        });

        // Log scaling: small values are much more frequent than under a uniform law.
        Assert.True(values.Count(v => (long)v! <= 64) > Draws / 3);
    }

    [Fact]
    public void InvLogUniform_IsExpOfMinusUniform()
    {
        var values = Doubles(Draw(ParameterSpec.InvLogUniform("x", 0, 3)));
        Assert.All(values, v => Assert.InRange(v, Math.Exp(-3), 1.0));
        Assert.InRange(values.Select(v => -Math.Log(v)).Average(), 1.4, 1.6);
    }

    [Fact]
    public void Normal_HasRequestedMeanAndSpread()
    {
        var values = Doubles(Draw(ParameterSpec.Normal("x", 5, 2)));
        var mean = values.Average();
        var sd = Math.Sqrt(values.Select(v => (v - mean) * (v - mean)).Average());
        Assert.InRange(mean, 4.9, 5.1);
        Assert.InRange(sd, 1.9, 2.1);
    }

    [Fact]
    public void QNormal_RoundsToQ()
    {
        var values = Doubles(Draw(ParameterSpec.QNormal("x", 0, 3, 0.5)));
        Assert.All(values, v => Assert.Equal(0, Math.Abs((v / 0.5) - Math.Round(v / 0.5)), 9));
    }

    [Fact]
    public void LogNormal_LogHasRequestedMean()
    {
        var values = Doubles(Draw(ParameterSpec.LogNormal("x", 1, 0.5)));
        Assert.All(values, v => Assert.True(v > 0));
        Assert.InRange(values.Select(v => Math.Log(v)).Average(), 0.97, 1.03);
    }

    [Fact]
    public void QLogNormal_PositiveMultiplesOfQ()
    {
        var values = Draw(ParameterSpec.QLogNormal("x", 3, 1, 2, integerValued: true));
        Assert.All(values, v => Assert.Equal(0, (long)v! % 2));
    }

    [Fact]
    public void Sample_SameSeed_SameValues_DifferentSeed_DifferentValues()
    {
        var p = ParameterSpec.Uniform("x", 0, 1);
        Assert.Equal(Draw(p, 7), Draw(p, 7));
        Assert.NotEqual(Draw(p, 7), Draw(p, 8));
    }

    [Theory]
    [InlineData(5, 1)]
    [InlineData(double.NaN, 1)]
    public void Uniform_InvalidBounds_Throws(double min, double max)
    {
        Assert.Throws<ArgumentException>(() => ParameterSpec.Uniform("x", min, max));
    }

    [Fact]
    public void LogUniformValues_NonPositiveMin_ThrowsNamingTheParameter()
    {
        var ex = Assert.Throws<ArgumentException>(() => ParameterSpec.LogUniformValues("lr", 0, 1));
        Assert.Contains("lr", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DecodeEncode_RoundTripsThroughInternalSpace()
    {
        var p = ParameterSpec.LogUniformValues("lr", 1e-5, 1);
        var (low, high) = p.InternalBounds;
        Assert.Equal(Math.Log(1e-5), low, 12);
        Assert.Equal(0, high, 12);
        Assert.Equal(1e-3, (double)p.Decode(p.Encode(1e-3)), 12);
    }
}
