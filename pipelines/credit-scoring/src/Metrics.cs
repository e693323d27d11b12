namespace Serverless.CreditScoring;

/// <summary>Held-out metrics of a binary classifier (positive class = bad credit).</summary>
internal sealed record EvaluationMetrics(double Auc, double F1, double Accuracy, double LogLoss, double Precision, double Recall, int Count, int Positives);

/// <summary>One row of the calibration table: predictions in [Lower, Upper) against the observed bad rate.</summary>
internal sealed record CalibrationBin(double Lower, double Upper, int Count, double MeanPredicted, double ObservedRate);

/// <summary>Metric computations on (label, probability) pairs. Written out rather than taken from ML.NET so they can be checked by hand.</summary>
internal static class Metrics
{
    public static EvaluationMetrics Compute(IReadOnlyList<bool> labels, IReadOnlyList<float> probabilities, double threshold = 0.5)
    {
        int tp = 0, fp = 0, tn = 0, fn = 0;
        double logLoss = 0;
        for (var i = 0; i < labels.Count; i++)
        {
            var p = Math.Clamp(probabilities[i], 1e-15, 1 - 1e-15);
            logLoss -= labels[i] ? Math.Log(p) : Math.Log(1 - p);
            var predicted = probabilities[i] >= threshold;
            if (predicted && labels[i]) { tp++; }
            else if (predicted) { fp++; }
            else if (labels[i]) { fn++; }
            else { tn++; }
        }

        var precision = tp + fp == 0 ? 0 : (double)tp / (tp + fp);
        var recall = tp + fn == 0 ? 0 : (double)tp / (tp + fn);
        var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return new EvaluationMetrics(Auc(labels, probabilities), f1, (double)(tp + tn) / labels.Count, logLoss / labels.Count,
            precision, recall, labels.Count, tp + fn);
    }

    /// <summary>Area under the ROC curve as the Mann–Whitney statistic, ties counted as half.</summary>
    public static double Auc(IReadOnlyList<bool> labels, IReadOnlyList<float> scores)
    {
        var order = Enumerable.Range(0, labels.Count).OrderBy(i => scores[i]).ToArray();
        double rankSumPositives = 0;
        var i = 0;
        while (i < order.Length)
        {
            var j = i;
            while (j + 1 < order.Length && scores[order[j + 1]] == scores[order[i]])
            {
                j++;
            }

            var averageRank = ((i + j) / 2.0) + 1;
            for (var k = i; k <= j; k++)
            {
                if (labels[order[k]])
                {
                    rankSumPositives += averageRank;
                }
            }

            i = j + 1;
        }

        var positives = labels.Count(l => l);
        var negatives = labels.Count - positives;
        if (positives == 0 || negatives == 0)
        {
            throw new StepFailedException("AUC needs both classes in the evaluation data");
        }

        return (rankSumPositives - (positives * (positives + 1) / 2.0)) / ((double)positives * negatives);
    }

    /// <summary>ROC curve points (false positive rate, true positive rate), from (0,0) to (1,1).</summary>
    public static List<(double Fpr, double Tpr)> RocCurve(IReadOnlyList<bool> labels, IReadOnlyList<float> scores)
    {
        var positives = labels.Count(l => l);
        var negatives = labels.Count - positives;
        var points = new List<(double, double)> { (0, 0) };
        int tp = 0, fp = 0;
        foreach (var group in Enumerable.Range(0, labels.Count).GroupBy(i => scores[i]).OrderByDescending(g => g.Key))
        {
            foreach (var i in group)
            {
                if (labels[i]) { tp++; } else { fp++; }
            }

            points.Add(((double)fp / negatives, (double)tp / positives));
        }

        return points;
    }

    public static List<CalibrationBin> Calibration(IReadOnlyList<bool> labels, IReadOnlyList<float> probabilities, int bins = 10)
    {
        var result = new List<CalibrationBin>();
        for (var b = 0; b < bins; b++)
        {
            double lower = (double)b / bins, upper = (double)(b + 1) / bins;
            var members = Enumerable.Range(0, labels.Count)
                .Where(i => probabilities[i] >= lower && (probabilities[i] < upper || (b == bins - 1 && probabilities[i] <= upper)))
                .ToList();
            result.Add(new CalibrationBin(lower, upper, members.Count,
                members.Count == 0 ? 0 : members.Average(i => probabilities[i]),
                members.Count == 0 ? 0 : members.Count(i => labels[i]) / (double)members.Count));
        }

        return result;
    }
}
