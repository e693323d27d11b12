using YamlDotNet.RepresentationModel;

namespace Serverless.Sweeps.Tests;

public class SweepConfigParserTests
{
    private static SweepConfig ParseOk(string yaml)
    {
        var result = SweepConfigParser.Parse(yaml, "sweep.yaml");
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        return result.Config!;
    }

    private static IReadOnlyList<SweepConfigError> ParseErrors(string yaml)
    {
        var result = SweepConfigParser.Parse(yaml, "sweep.yaml");
        Assert.False(result.Succeeded);
        Assert.Null(result.Config);
        return result.Errors;
    }

    [Fact]
    public void Parse_WandbStyleConfig_ReadsEveryPart()
    {
        var config = ParseOk("""
            method: bayes
            sampler: gp
            seed: 17
            metric:
              name: val_auc
              goal: maximize
              target: 0.95
            parameters:
              learning_rate:
                distribution: log_uniform_values
                min: 0.0001
                max: 0.1
              epochs:
                value: 10
              optimizer:
                values: [adam, sgd]
                probabilities: [0.75, 0.25]
              layers:
                min: 1
                max: 4
              dropout:
                min: 0.0
                max: 0.5
            early_terminate:
              type: hyperband
              min_iter: 3
            run_cap: 40
            limits:
              max_concurrent_trials: 4
              max_failed_trials: 5
              timeout: 2h
            program: train.py
            """);

        Assert.Equal(SweepMethod.Bayes, config.Method);
        Assert.Equal(BayesSampler.GaussianProcess, config.Sampler);
        Assert.Equal(17, config.Seed);
        Assert.Equal(new SweepMetric("val_auc", MetricGoal.Maximize, 0.95), config.Metric);
        var byName = config.Parameters.ToDictionary(p => p.Name);
        Assert.Equal(DistributionKind.LogUniformValues, byName["learning_rate"].Kind);
        Assert.Equal(DistributionKind.Constant, byName["epochs"].Kind);
        Assert.Equal(10L, byName["epochs"].Value);
        Assert.Equal(DistributionKind.Categorical, byName["optimizer"].Kind);
        Assert.Equal([0.75, 0.25], byName["optimizer"].Probabilities!);
        Assert.Equal(DistributionKind.IntUniform, byName["layers"].Kind);
        Assert.Equal(DistributionKind.Uniform, byName["dropout"].Kind);
        Assert.Equal([3, 9, 27, 81], config.Hyperband!.Rungs().Take(4));
        Assert.Equal(40, config.Limits.MaxTrials);
        Assert.Equal(4, config.Limits.MaxConcurrentTrials);
        Assert.Equal(5, config.Limits.MaxFailedTrials);
        Assert.Equal(TimeSpan.FromHours(2), config.Limits.Timeout);
    }

    [Fact]
    public void Parse_NestedParameters_GetDottedNames()
    {
        var config = ParseOk("""
            method: random
            parameters:
              optimizer:
                parameters:
                  name:
                    values: [adam, sgd]
                  lr:
                    distribution: log_uniform_values
                    min: 0.001
                    max: 0.1
            """);
        Assert.Equal(["optimizer.lr", "optimizer.name"], config.Parameters.Select(p => p.Name).Order());
    }

    [Fact]
    public void Parse_EveryDistributionName_MapsToItsKind()
    {
        var config = ParseOk("""
            method: random
            parameters:
              a: {distribution: constant, value: x}
              b: {distribution: categorical, values: [1, 2]}
              c: {distribution: int_uniform, min: 1, max: 3}
              d: {distribution: uniform, min: 0, max: 1}
              e: {distribution: q_uniform, min: 0, max: 10, q: 2}
              f: {distribution: log_uniform, min: -3, max: 0}
              g: {distribution: log_uniform_values, min: 0.01, max: 1}
              h: {distribution: q_log_uniform, min: 0, max: 5, q: 1}
              i: {distribution: q_log_uniform_values, min: 1, max: 100, q: 1}
              j: {distribution: inv_log_uniform, min: 0, max: 2}
              k: {distribution: inv_log_uniform_values, min: 0.1, max: 1}
              l: {distribution: normal, mu: 1, sigma: 2}
              m: {distribution: q_normal, q: 0.5}
              n: {distribution: log_normal}
              o: {distribution: q_log_normal, mu: 2, sigma: 0.5, q: 1}
            """);
        var kinds = config.Parameters.ToDictionary(p => p.Name, p => p.Kind);
        Assert.Equal(Enum.GetValues<DistributionKind>().Length, kinds.Values.Distinct().Count());
        Assert.Equal(DistributionKind.QLogNormal, kinds["o"]);
        var e = config.Parameters.Single(p => p.Name == "e");
        Assert.True(e.IntegerValued);
        Assert.Equal(2, e.Q);
    }

    [Fact]
    public void Parse_MedianEarlyTerminate_ReadsKatibAndAzureNames()
    {
        var config = ParseOk("""
            method: random
            metric: {name: loss}
            parameters: {x: {min: 0.0, max: 1.0}}
            early_terminate:
              type: median
              evaluation_interval: 2
              start_step: 4
              min_trials_required: 5
            """);
        Assert.Equal(new MedianStoppingConfig { EvaluationInterval = 2, DelayEvaluation = 4, MinTrials = 5 }, config.MedianStopping);
    }

    [Fact]
    public void Parse_HyperbandMaxIter_GivesWandbRungs()
    {
        var config = ParseOk("""
            method: random
            metric: {name: loss}
            parameters: {x: {min: 0.0, max: 1.0}}
            early_terminate: {type: hyperband, max_iter: 27, s: 2}
            """);
        Assert.Equal([3, 9], config.Hyperband!.Rungs());
    }

    [Fact]
    public void Parse_MultivariateTpeSampler()
    {
        var config = ParseOk("""
            method: bayes
            sampler: multivariate_tpe
            metric: {name: loss}
            parameters: {x: {min: 0.0, max: 1.0}}
            """);
        Assert.Equal(BayesSampler.MultivariateTpe, config.Sampler);
    }

    [Fact]
    public void Parse_ManyMistakes_ReportsEachWithLineAndColumn()
    {
        var errors = ParseErrors("""
            method: evolution
            metric:
              goal: up
            parameters:
              lr:
                distribution: log_uniform_values
                min: 0
                max: 0.1
              depth:
                min: 1
              batch:
                values: [16, 32]
                probabilities: [0.5, 0.6]
              mode:
                distribution: uniform
                min: 0
                max: 1
                mu: 3
            max_concurrent_trials: 0
            colour: blue
            """);

        void Has(int line, int column, string fragment) =>
            Assert.Contains(errors, e => e.Line == line && e.Column == column && e.Message.Contains(fragment, StringComparison.Ordinal) && e.File == "sweep.yaml");

        Has(1, 9, "method: 'evolution' is not supported");
        Has(3, 3, "metric.name: required");
        Has(3, 9, "metric.goal: 'up'");
        Has(6, 5, "parameters.lr: min (0) must be greater than 0");
        Has(10, 5, "parameters.depth: give 'value', 'values'");
        Has(13, 20, "parameters.batch.probabilities: must sum to 1, sum to 1.1");
        Has(18, 5, "parameters.mode.mu: does not apply to distribution uniform");
        Has(19, 24, "max_concurrent_trials: must be at least 1");
        Has(20, 1, "colour: unknown key");
        Assert.Equal(9, errors.Count);
        Assert.All(errors, e => Assert.StartsWith("sweep.yaml:", e.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_GridWithContinuousParameter_NamesIt()
    {
        var errors = ParseErrors("""
            method: grid
            parameters:
              lr: {min: 0.001, max: 0.1}
              layers: {values: [1, 2]}
            """);
        var error = Assert.Single(errors);
        Assert.Contains("parameters.lr: grid search needs", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, error.Line);
    }

    [Fact]
    public void Parse_BayesWithoutMetric_IsAnError()
    {
        var errors = ParseErrors("""
            method: bayes
            parameters: {x: {min: 0.0, max: 1.0}}
            """);
        Assert.Contains(errors, e => e.Message.Contains("metric: bayes search needs a metric", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_HyperbandWithBothMinAndMaxIter_IsAnError()
    {
        var errors = ParseErrors("""
            method: random
            metric: {name: loss}
            parameters: {x: {min: 0.0, max: 1.0}}
            early_terminate: {type: hyperband, min_iter: 1, max_iter: 9, eta: 1}
            """);
        Assert.Contains(errors, e => e.Message.Contains("exactly one of min_iter or max_iter", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Message.Contains("eta: must be greater than 1", StringComparison.Ordinal) && e.Line == 4);
    }

    [Fact]
    public void Parse_InvalidYaml_ReportsPosition()
    {
        var errors = ParseErrors("method: random\nparameters: [unclosed\n");
        var error = Assert.Single(errors);
        Assert.StartsWith("invalid YAML", error.Message, StringComparison.Ordinal);
        Assert.True(error.Line >= 2);
    }

    [Fact]
    public void Parse_FromNodeOfALargerDocument_UsesThatDocumentsLines()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader("""
            steps:
              train:
                sweep:
                  method: random
                  parameters:
                    x: {min: 2, max: 1}
            """));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var sweepNode = ((YamlMappingNode)((YamlMappingNode)root["steps"])["train"])["sweep"];
        var result = SweepConfigParser.Parse(sweepNode, "pipeline.yaml");
        var error = Assert.Single(result.Errors);
        Assert.Equal(("pipeline.yaml", 6, 12), (error.File, error.Line, error.Column));
        Assert.Contains("min (2) must not exceed max (1)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_CodeBuiltConfig_ReportsProblems()
    {
        var config = new SweepConfig
        {
            Method = SweepMethod.Grid,
            Parameters = [ParameterSpec.Uniform("x", 0, 1), ParameterSpec.IntUniform("x", 0, 1)],
            Hyperband = new HyperbandConfig { MinIter = 1 },
        };
        var messages = config.Validate().Select(e => e.Message).ToList();
        Assert.Contains(messages, m => m.Contains("parameters.x: defined more than once", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("grid search needs", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("early_terminate needs a metric", StringComparison.Ordinal));
    }
}
