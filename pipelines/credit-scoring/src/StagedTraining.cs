using Microsoft.ML.Trainers.FastTree;

namespace Serverless.CreditScoring;

/// <summary>
/// Training that reports a validation metric while it runs, for sweeps with early stopping. ML.NET's boosting
/// has no per-round callback and cannot resume, so the model is trained in stages of k, 2k, 4k … rounds (up
/// to the requested count); after each stage the validation AUC of every k-round prefix not yet reported is
/// computed from the trees themselves and logged with <c>step</c> = rounds so far. A sweep that stops the trial
/// kills the process between stages, so a trial stopped after r rounds has spent at most about 2r rounds of
/// training; one that runs to the end spends at most about twice its final stage.
/// </summary>
internal static class StagedTraining
{
    /// <summary>Splits a table into fitting and validation rows, deterministically for a seed.</summary>
    public static (FeatureTable Fit, FeatureTable Validation) Split(FeatureTable table, double validationFraction, int seed)
    {
        if (validationFraction is <= 0 or >= 1)
        {
            throw new StepFailedException($"--validation-fraction must be between 0 and 1 (exclusive), got {validationFraction}");
        }

        var order = Enumerable.Range(0, table.Count).ToArray();
        new Random(seed).Shuffle(order);
        var validationCount = Math.Max(1, (int)Math.Round(table.Count * validationFraction));
        FeatureTable Take(IEnumerable<int> rows)
        {
            var list = rows.Order().ToList();
            return new FeatureTable(table.FeatureNames, [.. list.Select(i => table.Labels[i])], [.. list.Select(i => table.Features[i])]);
        }

        return (Take(order.Skip(validationCount)), Take(order.Take(validationCount)));
    }

    /// <summary>The stage sizes: k, 2k, 4k … and finally <paramref name="rounds"/>.</summary>
    public static IReadOnlyList<int> Stages(int rounds, int evalEvery)
    {
        var stages = new List<int>();
        for (var size = Math.Max(1, evalEvery); size < rounds; size *= 2)
        {
            stages.Add(size);
        }

        stages.Add(rounds);
        return stages;
    }

    /// <summary>
    /// Validation AUC after every <paramref name="evalEvery"/> rounds of <paramref name="trees"/>, for the rounds
    /// in (<paramref name="after"/>, trees count], plus the last round if it is not a multiple.
    /// </summary>
    public static List<(int Rounds, double Auc)> PrefixAucs(RegressionTreeEnsemble trees, FeatureTable validation, int evalEvery, int after)
    {
        var scores = new float[validation.Count];
        var result = new List<(int, double)>();
        var count = trees.Trees.Count;
        for (var t = 0; t < count; t++)
        {
            var tree = trees.Trees[t];
            for (var row = 0; row < validation.Count; row++)
            {
                scores[row] += (float)LeafValue(tree, validation.Features[row]);
            }

            var rounds = t + 1;
            if (rounds > after && (rounds % evalEvery == 0 || rounds == count))
            {
                result.Add((rounds, Metrics.Auc(validation.Labels, scores)));
            }
        }

        return result;
    }

    // FastTree's rule: go left when the feature is at most the threshold; a negative child is the complement of a leaf index.
    private static double LeafValue(RegressionTree tree, float[] features)
    {
        if (tree.NumberOfLeaves <= 1)
        {
            return tree.LeafValues[0];
        }

        var node = 0;
        while (node >= 0)
        {
            var feature = tree.NumericalSplitFeatureIndexes[node];
            var value = feature < features.Length ? features[feature] : 0f;
            node = value <= tree.NumericalSplitThresholds[node] ? tree.LeftChild[node] : tree.RightChild[node];
        }

        return tree.LeafValues[~node];
    }
}
