namespace Serverless.Sweeps.Orchestration.Tests;

public sealed class SweepStepDefinitionTests
{
    private const string Valid = """
        method: random
        seed: 3
        metric: { name: loss, goal: minimize }
        parameters:
          x: { min: 0.0, max: 1.0 }
          y: { values: [1, 2, 3] }
          optimizer:
            parameters:
              momentum: { values: [0.8, 0.95] }
        """;

    [Fact]
    public void Load_ValidSweep_MapsNestedNamesToUnderscoredPipelineParameters()
    {
        var (definition, errors) = SweepStepDefinition.Load(ToyPipeline.Input(Valid, "r1", null));

        Assert.Empty(errors);
        Assert.NotNull(definition);
        var trial = new ParameterSet([new("x", 0.25), new("y", 3L), new("optimizer.momentum", 0.95)]);
        var merged = definition.TrialParameters(trial);
        Assert.Equal(0.25, merged["x"].AsNumber());
        Assert.Equal(3L, merged["y"].AsInt());
        Assert.Equal(0.95, merged["optimizer_momentum"].AsNumber());
        Assert.Equal(6L, merged["steps"].AsInt());
    }

    [Fact]
    public void TrialAttempt_RendersCommandWithTrialValuesAndUpstreamOutputs()
    {
        var (definition, _) = SweepStepDefinition.Load(ToyPipeline.Input(Valid, "r1", null));
        var trial = new ParameterSet([new("x", 0.125), new("y", 2L), new("optimizer.momentum", 0.8)]);

        var attempt = definition!.TrialAttempt(trial, 7, new("http://127.0.0.1:9", "run-7", "1"));

        Assert.Equal("toy --x 0.125 --y 2 --steps 6 --fail-above 100 --scale 1", attempt.Command);
        Assert.Equal("train", attempt.StepKey);
        Assert.Equal("r1/train/attempt-1/trial-7", attempt.BlobPrefix);
        Assert.Equal("run-7", attempt.Tracking!.RunId);
        Assert.Contains(attempt.Outputs, o => o.Name == "loss");
    }

    [Fact]
    public void Load_SweepParameterWithoutPipelineParameter_ReportsFileLineAndColumn()
    {
        const string sweep = """
            method: random
            parameters:
              x: { min: 0.0, max: 1.0 }
              learning_rate: { min: 0.1, max: 1.0 }
            """;

        var (definition, errors) = SweepStepDefinition.Load(ToyPipeline.Input(sweep, "r1", null));

        Assert.Null(definition);
        var error = Assert.Single(errors);

        // The sweep block's first line is line 18 of the toy pipeline; learning_rate is its fourth line, indented 8.
        Assert.StartsWith("pipelines/toy/pipeline.yaml:21:9: sweep parameter 'learning_rate' overrides no pipeline parameter", error);
    }

    [Fact]
    public void Load_RealsForAnIntParameter_IsAnErrorNamingBoth()
    {
        const string sweep = """
            method: random
            parameters:
              y: { min: 0.5, max: 3.5 }
            """;

        var (_, errors) = SweepStepDefinition.Load(ToyPipeline.Input(sweep, "r1", null));

        var error = Assert.Single(errors);
        Assert.Contains(":20:9: sweep parameter 'y': pipeline parameter 'y' is an int but Uniform samples reals", error);
    }

    [Fact]
    public void Load_InvalidSweepBlock_ReturnsTheSweepParsersPositionedErrors()
    {
        const string sweep = """
            method: evolution
            parameters:
              x: { min: 0.0, max: 1.0 }
            """;

        var (definition, errors) = SweepStepDefinition.Load(ToyPipeline.Input(sweep, "r1", null));

        Assert.Null(definition);
        Assert.Contains(errors, e => e.StartsWith("pipelines/toy/pipeline.yaml:18:15:", StringComparison.Ordinal) && e.Contains("'evolution' is not supported", StringComparison.Ordinal));
    }

    [Fact]
    public void TrialAttempt_CategoricalStringForNumberParameter_IsRejectedAtLoad()
    {
        const string sweep = """
            method: grid
            parameters:
              x: { values: [0.1, fast] }
            """;

        var (_, errors) = SweepStepDefinition.Load(ToyPipeline.Input(sweep, "r1", null));

        Assert.Contains(errors, e => e.Contains("value fast is not a valid number for pipeline parameter 'x'", StringComparison.Ordinal));
    }

    [Fact]
    public void PipelineParameterName_DotsBecomeUnderscores()
    {
        Assert.Equal("optimizer_lr", SweepStepDefinition.PipelineParameterName("optimizer.lr"));
        Assert.Equal("lr", SweepStepDefinition.PipelineParameterName("lr"));
    }
}
