using System.Globalization;

namespace Serverless.CreditScoring.Steps;

/// <summary>Logs the model to the run and registers it as a new version, moving the champion alias when it wins.</summary>
internal static class RegisterStep
{
    public static readonly string[] Options = ["model", "auc", "make-champion", "model-name", "outputs"];

    public static async Task<string> RunAsync(StepArguments args, StepTracking tracking)
    {
        var modelDir = args.Required("model");
        _ = ModelBundle.Load(modelDir); // refuse to register something that does not load
        var name = args.String("model-name", "credit-scoring");
        var auc = args.Number("auc", double.NaN);
        var makeChampion = args.Bool("make-champion", false);
        await tracking.LogArtifactsAsync(modelDir, "model");
        var tags = new Dictionary<string, string>
        {
            ["auc"] = auc.ToString("R", CultureInfo.InvariantCulture),
            ["pipeline"] = "credit-scoring",
            ["pipeline_run_id"] = Environment.GetEnvironmentVariable("SERVERLESS_RUN_ID") ?? string.Empty,
            ["flavor"] = "mlnet",
        };
        var version = await tracking.RegisterAsync(name, "model", tags, makeChampion);
        StepOutputs.From(args).Write("version", version);
        Console.WriteLine($"registered {name} version {version}{(makeChampion ? " and moved alias 'champion' to it" : string.Empty)}");
        return version;
    }
}
