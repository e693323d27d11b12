namespace Serverless.CreditScoring.Steps;

/// <summary>Decides whether the candidate is registered (and whether it becomes champion).</summary>
internal static class GateStep
{
    public static readonly string[] Options = ["auc", "threshold", "tolerance", "model-name", "outputs"];

    public static async Task<GateDecision> RunAsync(StepArguments args, StepTracking tracking)
    {
        var auc = args.Number("auc", double.NaN);
        var threshold = args.Number("threshold", 0.75);
        var tolerance = args.Number("tolerance", 0.01);
        var name = args.String("model-name", "credit-scoring");
        var champion = await tracking.GetChampionAsync(name);
        var decision = GateDecision.Decide(auc, threshold, champion?.Auc, tolerance);

        var outputs = StepOutputs.From(args);
        outputs.Write("passed", decision.Passed);
        outputs.Write("beats_champion", decision.BeatsChampion);
        outputs.Write("reason", decision.Reason);
        await tracking.SetTagsAsync(new Dictionary<string, string>
        {
            ["gate.passed"] = decision.Passed ? "true" : "false",
            ["gate.reason"] = decision.Reason,
            ["gate.champion_version"] = champion?.Version ?? "none",
        });
        await tracking.LogMetricsAsync(new Dictionary<string, double> { ["candidate_auc"] = auc, ["auc_threshold"] = threshold }
            .Concat(champion is { } c ? [new("champion_auc", c.Auc)] : Array.Empty<KeyValuePair<string, double>>())
            .ToDictionary(kv => kv.Key, kv => kv.Value));
        Console.WriteLine($"gate {(decision.Passed ? "PASSED" : "FAILED")}: {decision.Reason}" +
            (tracking.Enabled ? string.Empty : " (no tracking server: champion not checked)"));
        return decision;
    }
}
