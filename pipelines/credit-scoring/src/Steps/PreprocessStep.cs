using System.Globalization;

namespace Serverless.CreditScoring.Steps;

/// <summary>Stratified train/test split, median/mode imputation fitted on train, one-hot encoding.</summary>
internal static class PreprocessStep
{
    public static readonly string[] Options = ["data", "train", "test", "spec", "test-fraction", "seed", "outputs"];

    public static async Task RunAsync(StepArguments args, StepTracking tracking)
    {
        var data = args.Required("data");
        var records = CreditDataReader.Read(data);
        var fraction = args.Number("test-fraction", 0.2);
        var seed = args.Int("seed", 42);
        var (train, test) = Preprocessor.StratifiedSplit(records, fraction, seed);
        var spec = PreprocessingSpec.Fit(train);

        var specDir = args.Required("spec");
        Directory.CreateDirectory(specDir);
        spec.Save(Path.Combine(specDir, ModelBundle.SpecFile));
        // A few raw held-out rows travel with the model as a scoring sample.
        var lines = File.ReadAllLines(data);
        await File.WriteAllLinesAsync(Path.Combine(specDir, ModelBundle.SampleFile), [lines[0], .. test.Take(5).Select(r => lines[r.Line - 1])]);
        Save(Preprocessor.Encode(spec, train), args.Required("train"));
        Save(Preprocessor.Encode(spec, test), args.Required("test"));

        var outputs = StepOutputs.From(args);
        outputs.Write("train_rows", train.Count);
        outputs.Write("test_rows", test.Count);
        await tracking.LogParamsAsync(new Dictionary<string, string>
        {
            ["test_fraction"] = fraction.ToString(CultureInfo.InvariantCulture),
            ["seed"] = seed.ToString(CultureInfo.InvariantCulture),
            ["features"] = spec.FeatureNames.Count.ToString(CultureInfo.InvariantCulture),
        });
        await tracking.LogMetricsAsync(new Dictionary<string, double> { ["train_rows"] = train.Count, ["test_rows"] = test.Count });
        Console.WriteLine($"split {records.Count} rows into {train.Count} train / {test.Count} test; {spec.FeatureNames.Count} features");
    }

    private static void Save(FeatureTable table, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        table.Save(path);
    }
}
