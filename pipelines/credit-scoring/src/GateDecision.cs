using System.Globalization;

namespace Serverless.CreditScoring;

/// <summary>
/// Whether a candidate model may be registered, and whether it replaces the champion. Like TFX's
/// evaluator: an absolute floor (AUC ≥ threshold) plus a change threshold against the baseline (not worse
/// than the champion by more than the tolerance).
/// </summary>
internal sealed record GateDecision(bool Passed, bool BeatsChampion, string Reason)
{
    public static GateDecision Decide(double auc, double threshold, double? championAuc, double tolerance)
    {
        static string F(double v) => v.ToString("0.0000", CultureInfo.InvariantCulture);
        if (double.IsNaN(auc) || auc < threshold)
        {
            return new(false, false, $"AUC {F(auc)} is below the threshold {F(threshold)}");
        }

        if (championAuc is not { } champion)
        {
            return new(true, true, $"AUC {F(auc)} meets the threshold {F(threshold)} and there is no champion yet");
        }

        if (auc < champion - tolerance)
        {
            return new(false, false, $"AUC {F(auc)} is worse than the champion's {F(champion)} by more than the tolerance {F(tolerance)}");
        }

        return auc > champion
            ? new(true, true, $"AUC {F(auc)} beats the champion's {F(champion)}")
            : new(true, false, $"AUC {F(auc)} is within {F(tolerance)} of the champion's {F(champion)}; registered, champion unchanged");
    }
}
