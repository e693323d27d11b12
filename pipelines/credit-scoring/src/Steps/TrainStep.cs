using System.Globalization;

namespace Serverless.CreditScoring.Steps;

/// <summary>Trains the gradient-boosted model and saves it as a loadable model directory.</summary>
internal static class TrainStep
{
    public static readonly string[] Options = ["train", "spec", "model", "trees", "leaves", "learning-rate", "min-leaf", "seed", "outputs"];

    public static async Task RunAsync(StepArguments args, StepTracking tracking)
    {
        var table = FeatureTable.Load(args.Required("train"));
        var specDir = args.Required("spec");
        var spec = PreprocessingSpec.Load(Path.Combine(specDir, ModelBundle.SpecFile));
        var options = new TrainingOptions(args.Int("trees", 200), args.Int("leaves", 16), args.Number("learning-rate", 0.1), args.Int("min-leaf", 20), args.Int("seed", 42));
        var (ml, model, schema, importance) = Trainer.Train(table, options);
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
}
