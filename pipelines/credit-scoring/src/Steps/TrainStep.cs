using System.Globalization;
using Microsoft.ML;

namespace Serverless.CreditScoring.Steps;

/// <summary>Trains the gradient-boosted model and saves it as a loadable model directory.</summary>
internal static class TrainStep
{
    public static readonly string[] Options = ["train", "spec", "model", "trees", "leaves", "learning-rate", "min-leaf", "seed", "outputs", "eval-every", "validation-fraction"];

    public static async Task RunAsync(StepArguments args, StepTracking tracking)
    {
        var table = FeatureTable.Load(args.Required("train"));
        var specDir = args.Required("spec");
        var spec = PreprocessingSpec.Load(Path.Combine(specDir, ModelBundle.SpecFile));
        var options = new TrainingOptions(args.Int("trees", 200), args.Int("leaves", 16), args.Number("learning-rate", 0.1), args.Int("min-leaf", 20), args.Int("seed", 42));
        var evalEvery = args.Int("eval-every", 0);
        double? validationAuc = null;
        FeatureTable? validation = null;
        MLContext ml;
        ITransformer model;
        DataViewSchema schema;
        Dictionary<string, double> importance;
        if (evalEvery > 0)
        {
            // For sweeps with early stopping: hold out validation rows and report their AUC while training.
            (table, validation) = StagedTraining.Split(table, args.Number("validation-fraction", 0.2), options.Seed);
            (ml, model, schema, importance, validationAuc) = await TrainReportingAsync(table, validation, options, evalEvery, tracking);
        }
        else
        {
            (ml, model, schema, importance) = Trainer.Train(table, options);
        }

        var modelDir = args.Required("model");
        var samplePath = Path.Combine(specDir, ModelBundle.SampleFile);
        ModelBundle.Save(modelDir, ml, model, schema, spec, importance,
            File.Exists(samplePath) ? File.ReadAllLines(samplePath) : [],
            new
            {
                flavor = "mlnet",
                trainer = "FastTree",
                task = "binary-classification",
                positive_class = CreditSchema.Positive,
                output = "Probability",
                features = spec.FeatureNames,
                hyperparameters = options,
                score_with = "Serverless.CreditScoring score --model DIR --input RAW.csv",
            });

        var bundle = ModelBundle.Load(modelDir);
        var trainAuc = Metrics.Auc(table.Labels, bundle.PredictProbabilities(table));
        StepOutputs.From(args).Write("train_auc", trainAuc);
        if (validationAuc is { } prefixAuc && validation is not null)
        {
            // The reported history comes from walking the trees; the saved model must agree with its last point.
            var finalValidationAuc = Metrics.Auc(validation.Labels, bundle.PredictProbabilities(validation));
            if (Math.Abs(finalValidationAuc - prefixAuc) > 1e-4)
            {
                throw new StepFailedException($"validation AUC of the saved model ({finalValidationAuc:0.######}) differs from the last reported one ({prefixAuc:0.######})");
            }

            StepOutputs.From(args).Write("val_auc", finalValidationAuc);
            await tracking.LogMetricsAsync(new Dictionary<string, double> { ["final_val_auc"] = finalValidationAuc });
        }

        await tracking.LogParamsAsync(new Dictionary<string, string>
        {
            ["num_trees"] = options.NumberOfTrees.ToString(CultureInfo.InvariantCulture),
            ["num_leaves"] = options.NumberOfLeaves.ToString(CultureInfo.InvariantCulture),
            ["learning_rate"] = options.LearningRate.ToString(CultureInfo.InvariantCulture),
            ["min_examples_per_leaf"] = options.MinimumExampleCountPerLeaf.ToString(CultureInfo.InvariantCulture),
            ["seed"] = options.Seed.ToString(CultureInfo.InvariantCulture),
        });
        await tracking.LogMetricsAsync(new Dictionary<string, double> { ["train_auc"] = trainAuc });
        Console.WriteLine($"trained FastTree ({options.NumberOfTrees} trees, {options.NumberOfLeaves} leaves) on {table.Count} rows; train AUC {trainAuc:0.0000}");
    }

    private static async Task<(MLContext, ITransformer, DataViewSchema, Dictionary<string, double>, double)> TrainReportingAsync(
        FeatureTable fit, FeatureTable validation, TrainingOptions options, int evalEvery, StepTracking tracking)
    {
        var reported = 0;
        var lastAuc = double.NaN;
        (MLContext, ITransformer, DataViewSchema, Dictionary<string, double>)? final = null;
        foreach (var rounds in StagedTraining.Stages(options.NumberOfTrees, evalEvery))
        {
            var (ml, model, schema, importance, trees) = Trainer.TrainWithTrees(fit, options with { NumberOfTrees = rounds });
            var points = StagedTraining.PrefixAucs(trees, validation, evalEvery, reported);
            await tracking.LogMetricHistoryAsync("val_auc", points.Select(p => ((long)p.Rounds, p.Auc)));
            foreach (var (r, auc) in points)
            {
                Console.WriteLine($"round {r}: validation AUC {auc:0.0000}");
                reported = r;
                lastAuc = auc;
            }

            final = (ml, model, schema, importance);
        }

        var (fml, fmodel, fschema, fimportance) = final!.Value;
        return (fml, fmodel, fschema, fimportance, lastAuc);
    }
}
