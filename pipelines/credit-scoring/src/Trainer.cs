using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Trainers.FastTree;

namespace Serverless.CreditScoring;

/// <summary>Hyperparameters of the gradient-boosted trees.</summary>
internal sealed record TrainingOptions(int NumberOfTrees, int NumberOfLeaves, double LearningRate, int MinimumExampleCountPerLeaf, int Seed);

/// <summary>Trains ML.NET FastTree (gradient-boosted decision trees, Platt-calibrated) on an encoded table.</summary>
internal static class Trainer
{
    public static (MLContext Ml, ITransformer Model, DataViewSchema Schema, Dictionary<string, double> Importance) Train(FeatureTable train, TrainingOptions options)
    {
        if (options.NumberOfTrees < 1 || options.NumberOfLeaves < 2 || options.LearningRate <= 0 || options.MinimumExampleCountPerLeaf < 1)
        {
            throw new StepFailedException($"invalid hyperparameters: {options} (trees >= 1, leaves >= 2, learning rate > 0, min examples per leaf >= 1)");
        }

        var ml = new MLContext(seed: options.Seed);
        var data = ModelBundle.ToDataView(ml, train);
        var trainer = ml.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
        {
            LabelColumnName = nameof(FeatureRow.Label),
            FeatureColumnName = nameof(FeatureRow.Features),
            NumberOfTrees = options.NumberOfTrees,
            NumberOfLeaves = options.NumberOfLeaves,
            LearningRate = options.LearningRate,
            MinimumExampleCountPerLeaf = options.MinimumExampleCountPerLeaf,
            Seed = options.Seed,
            // One thread keeps training reproducible for a given seed.
            NumberOfThreads = 1,
        });
        var model = trainer.Fit(data);
        return (ml, model, data.Schema, Importance(train, model));
    }

    /// <summary>
    /// Like <see cref="Train"/>, and also returns the boosted trees, so a caller can score any prefix of the
    /// ensemble (the model after fewer rounds) without training again.
    /// </summary>
    public static (MLContext Ml, ITransformer Model, DataViewSchema Schema, Dictionary<string, double> Importance, RegressionTreeEnsemble Trees) TrainWithTrees(FeatureTable train, TrainingOptions options)
    {
        var (ml, model, schema, importance) = Train(train, options);
        var typed = (BinaryPredictionTransformer<CalibratedModelParametersBase<FastTreeBinaryModelParameters, PlattCalibrator>>)model;
        return (ml, model, schema, importance, typed.Model.SubModel.TrainedTreeEnsemble);
    }

    private static Dictionary<string, double> Importance(FeatureTable train, BinaryPredictionTransformer<CalibratedModelParametersBase<FastTreeBinaryModelParameters, PlattCalibrator>> model)
    {
        VBuffer<float> weights = default;
        model.Model.SubModel.GetFeatureWeights(ref weights);
        var dense = weights.DenseValues().ToArray();
        var importance = train.FeatureNames.Select((name, i) => (name, w: i < dense.Length ? (double)dense[i] : 0))
            .ToDictionary(x => x.name, x => x.w, StringComparer.Ordinal);
        return importance;
    }
}
