namespace Serverless.Sweeps.Tests;

public class GridSamplerTests
{
    private static SweepConfig Grid(params ParameterSpec[] parameters) => new() { Method = SweepMethod.Grid, Parameters = parameters };

    [Fact]
    public void Enumerate_CountIsProductOfAxes_AndPointsAreDistinct()
    {
        var sampler = new GridSampler(Grid(
            ParameterSpec.Categorical("opt", ["adam", "sgd", "rmsprop"]),
            ParameterSpec.IntUniform("layers", 1, 4),
            ParameterSpec.QUniform("dropout", 0, 0.5, 0.25),
            ParameterSpec.Constant("epochs", 10L)));
        var points = sampler.Enumerate().ToList();
        Assert.Equal(3 * 4 * 3, sampler.Size);
        Assert.Equal(36, points.Count);
        Assert.Equal(36, points.Select(p => p.CanonicalKey()).Distinct().Count());
        Assert.Equal([0.0, 0.25, 0.5], points.Select(p => (double)p["dropout"]!).Distinct().Order());
        Assert.All(points, p => Assert.Equal(10L, p["epochs"]));
    }

    [Fact]
    public void Enumerate_NestedAndQuantisedLogParameters_AreIncluded()
    {
        var config = SweepConfigParser.Parse("""
            method: grid
            parameters:
              optimizer:
                parameters:
                  name: {values: [adam, sgd]}
                  momentum: {distribution: q_uniform, min: 0.8, max: 0.9, q: 0.05}
              units: {distribution: q_log_uniform_values, min: 16, max: 64, q: 16}
            """, "grid.yaml").Config!;
        var points = new GridSampler(config).Enumerate().ToList();
        Assert.Equal(2 * 3 * 4, points.Count);
        var nested = points[0].ToNested();
        var optimizer = Assert.IsType<Dictionary<string, object?>>(nested["optimizer"]);
        Assert.Contains("name", optimizer.Keys);
        Assert.Equal([16L, 32L, 48L, 64L], points.Select(p => (long)p["units"]!).Distinct().Order());
    }

    [Fact]
    public void Suggest_SkipsPointsInHistory_AndStopsWhenExhausted()
    {
        var sampler = new GridSampler(Grid(ParameterSpec.Categorical("a", [1L, 2L]), ParameterSpec.Categorical("b", ["x", "y"])));
        var first = sampler.Suggest(SweepState.Empty, 3);
        Assert.Equal(3, first.Count);
        var state = SweepState.Empty.WithPending(first);
        var rest = sampler.Suggest(state, 3);
        var last = Assert.Single(rest);
        Assert.DoesNotContain(last.CanonicalKey(), first.Select(p => p.CanonicalKey()));
        Assert.Empty(sampler.Suggest(state.WithPending(rest), 1));
    }

    [Fact]
    public void Constructor_ContinuousParameter_ThrowsNamingIt()
    {
        var ex = Assert.Throws<ArgumentException>(() => new GridSampler(Grid(ParameterSpec.Uniform("lr", 0, 1), ParameterSpec.IntUniform("n", 1, 2))));
        Assert.Contains("lr", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("n,", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_HugeGrid_Throws()
    {
        Assert.Throws<ArgumentException>(() => new GridSampler(Grid(ParameterSpec.IntUniform("a", 1, 10_000), ParameterSpec.IntUniform("b", 1, 10_000))));
    }
}
