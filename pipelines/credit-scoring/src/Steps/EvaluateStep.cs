using System.Globalization;
using System.Text;
using System.Text.Json;
using Serverless.CreditScoring.Plotting;

namespace Serverless.CreditScoring.Steps;

/// <summary>Scores the held-out split: metrics, calibration table, ROC and feature-importance charts.</summary>
internal static class EvaluateStep
{
    public static readonly string[] Options = ["model", "test", "report", "outputs"];
    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true };

    public static async Task<EvaluationMetrics> RunAsync(StepArguments args, StepTracking tracking)
    {
        var bundle = ModelBundle.Load(args.Required("model"));
        var test = FeatureTable.Load(args.Required("test"));
        var probabilities = bundle.PredictProbabilities(test);
        var metrics = Metrics.Compute(test.Labels, probabilities);
        var calibration = Metrics.Calibration(test.Labels, probabilities);
        var roc = Metrics.RocCurve(test.Labels, probabilities);

        var report = args.Required("report");
        Directory.CreateDirectory(report);
        await File.WriteAllTextAsync(Path.Combine(report, "metrics.json"), JsonSerializer.Serialize(metrics, s_json));
        var csv = new StringBuilder("lower,upper,count,mean_predicted,observed_bad_rate\n");
        foreach (var bin in calibration)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{bin.Lower:0.0},{bin.Upper:0.0},{bin.Count},{bin.MeanPredicted:0.0000},{bin.ObservedRate:0.0000}\n");
        }

        await File.WriteAllTextAsync(Path.Combine(report, "calibration.csv"), csv.ToString());
        var predictions = new StringBuilder("label,probability\n");
        for (var i = 0; i < test.Count; i++)
        {
            predictions.Append(test.Labels[i] ? '1' : '0').Append(',').Append(probabilities[i].ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }

        await File.WriteAllTextAsync(Path.Combine(report, "predictions.csv"), predictions.ToString());
        Charts.Roc(roc, metrics.Auc).Save(Path.Combine(report, "roc.png"));
        Charts.FeatureImportance(bundle.Importance).Save(Path.Combine(report, "feature_importance.png"));

        var outputs = StepOutputs.From(args);
        outputs.Write("auc", metrics.Auc);
        outputs.Write("f1", metrics.F1);
        outputs.Write("accuracy", metrics.Accuracy);
        outputs.Write("log_loss", metrics.LogLoss);
        await tracking.LogMetricsAsync(new Dictionary<string, double>
        {
            ["auc"] = metrics.Auc,
            ["f1"] = metrics.F1,
            ["accuracy"] = metrics.Accuracy,
            ["log_loss"] = metrics.LogLoss,
            ["precision"] = metrics.Precision,
            ["recall"] = metrics.Recall,
        });
        await tracking.LogArtifactsAsync(report, "evaluation");
        Console.WriteLine($"held-out AUC {metrics.Auc:0.0000}, F1 {metrics.F1:0.0000}, accuracy {metrics.Accuracy:0.0000}, log loss {metrics.LogLoss:0.0000} on {metrics.Count} rows");
        return metrics;
    }
}
