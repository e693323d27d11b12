using System.Buffers.Binary;
using System.Globalization;
using Serverless.CreditScoring;
using Serverless.CreditScoring.Steps;
using Serverless.Pipelines.Parsing;
using Serverless.Pipelines.Planning;
using Serverless.Testing;

namespace Serverless.Pipelines.Tests;

/// <summary>The credit-scoring step code on the real data set, run in-process.</summary>
public sealed class CreditScoringTests : IDisposable
{
    private static readonly string s_data = Path.Combine(RepoPaths.Root, "pipelines", "credit-scoring", "data", "credit_data.csv");
    private readonly string _dir = Directory.CreateTempSubdirectory("credit-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string P(string name) => Path.Combine(_dir, name);

    private static StepTracking NoTracking() => StepTracking.For(null!, null!) is var t && !t.Enabled ? t : throw new InvalidOperationException();

    [Fact]
    public async Task Validate_RealData_ProfileAgreesWithTheDataSetDocumentation()
    {
        var profile = await ValidateStep.RunAsync(
            new StepArguments("validate", ["--data", s_data, "--profile", P("profile.json"), "--outputs", P("out")], ValidateStep.Options), NoTracking());

        // Figures stated in shared/datasets/credit/README.md.
        Assert.Equal(4454, profile.Rows);
        Assert.Equal(1254, profile.ClassCounts["bad"]);
        Assert.Equal(3200, profile.ClassCounts["good"]);
        Assert.Equal(415, profile.RowsWithMissing);
        Assert.Equal(455, profile.MissingCounts.Values.Sum());
        Assert.Equal(381, profile.MissingCounts["Income"]);
        Assert.Equal(47, profile.MissingCounts["Assets"]);
        Assert.Equal(18, profile.MissingCounts["Debt"]);
        Assert.Equal(6, profile.MissingCounts["Home"]);
        Assert.Equal(1, profile.MissingCounts["Marital"]);
        Assert.Equal(2, profile.MissingCounts["Job"]);
        Assert.Equal("43c83a4630f1995f00b456becc4a84219616a2f2bae445e86c706264cc9050a4", profile.Sha256);
        Assert.Equal(new NumericSummary(0, 300000, profile.Numeric["Assets"].Mean), profile.Numeric["Assets"]);
        Assert.Equal("4454", File.ReadAllText(P("out/rows")));
        Assert.Equal(1254.0 / 4454, double.Parse(File.ReadAllText(P("out/bad_rate")), CultureInfo.InvariantCulture), 12);
    }

    [Fact]
    public void Read_RenamedColumn_FailsWithSchemaDriftNamingBothColumns()
    {
        var lines = File.ReadAllLines(s_data).Take(20).ToList();
        lines[0] = lines[0].Replace("Income", "Salary", StringComparison.Ordinal);
        File.WriteAllLines(P("drift.csv"), lines);

        var ex = Assert.Throws<StepFailedException>(() => CreditDataReader.Read(P("drift.csv")));

        Assert.Equal($"{P("drift.csv")}:1: schema drift in the header: missing column(s) Income; unexpected column(s) Salary " +
            "(expected: Status,Seniority,Home,Time,Age,Marital,Records,Job,Expenses,Income,Assets,Debt,Amount,Price)", ex.Message);
    }

    [Fact]
    public void Read_UnknownCategoryAndNonNumber_ReportsEveryProblemWithLineAndColumn()
    {
        File.WriteAllLines(P("bad.csv"),
        [
            "Status,Seniority,Home,Time,Age,Marital,Records,Job,Expenses,Income,Assets,Debt,Amount,Price",
            "good,9,rent,60,30,married,no,freelance,73,129,0,0,800,846",
            "good,9,boat,60,30,married,no,freelance,73,129,0,0,800,846",
            "meh,9,rent,sixty,30,married,no,freelance,73,129,0,0,800,846",
        ]);

        var ex = Assert.Throws<StepFailedException>(() => CreditDataReader.Read(P("bad.csv")));

        Assert.Contains($"{P("bad.csv")}:3: column Home: unknown category 'boat' (expected one of ignore, other, owner, parents, priv, rent)", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"{P("bad.csv")}:4: column Status: 'meh' is not one of bad, good", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"{P("bad.csv")}:4: column Time: 'sixty' is not a number", ex.Message, StringComparison.Ordinal);
        Assert.StartsWith("schema drift: 3 problem(s)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StratifiedSplit_RealData_KeepsClassShareAndIsReproducible()
    {
        var records = CreditDataReader.Read(s_data);

        var (train, test) = Preprocessor.StratifiedSplit(records, 0.2, seed: 7);
        var (train2, test2) = Preprocessor.StratifiedSplit(records, 0.2, seed: 7);
        var (_, test3) = Preprocessor.StratifiedSplit(records, 0.2, seed: 8);

        var overall = records.Count(r => r.IsBad) / (double)records.Count;
        Assert.InRange(test.Count(r => r.IsBad) / (double)test.Count, overall - 0.002, overall + 0.002);
        Assert.InRange(train.Count(r => r.IsBad) / (double)train.Count, overall - 0.002, overall + 0.002);
        Assert.Equal(records.Count, train.Count + test.Count);
        Assert.Empty(train.Select(r => r.Line).Intersect(test.Select(r => r.Line)));
        Assert.Equal(test.Select(r => r.Line), test2.Select(r => r.Line));
        Assert.Equal(train.Select(r => r.Line), train2.Select(r => r.Line));
        Assert.NotEqual(test.Select(r => r.Line), test3.Select(r => r.Line));
    }

    [Fact]
    public void Encode_MissingValues_AreImputedFromTheTrainingSplitOnly()
    {
        var records = CreditDataReader.Read(s_data);
        var (train, _) = Preprocessor.StratifiedSplit(records, 0.2, seed: 42);
        var spec = PreprocessingSpec.Fit(train);
        var missingIncome = records.First(r => r.Numbers["Income"] is null && r.Categories["Home"] is null);

        var features = spec.Encode(missingIncome);

        var incomes = train.Select(r => r.Numbers["Income"]).OfType<double>().Order().ToList();
        var median = incomes.Count % 2 == 1 ? incomes[incomes.Count / 2] : (incomes[(incomes.Count / 2) - 1] + incomes[incomes.Count / 2]) / 2;
        Assert.Equal((float)median, features[spec.FeatureNames.ToList().IndexOf("Income")]);
        Assert.Equal(1f, features[spec.FeatureNames.ToList().IndexOf("Home=" + spec.Modes["Home"])]);
        Assert.Equal(1f, spec.FeatureNames.Where(n => n.StartsWith("Home=", StringComparison.Ordinal)).Sum(n => features[spec.FeatureNames.ToList().IndexOf(n)]));
        Assert.Equal(9 + 6 + 5 + 2 + 4, features.Length);
    }

    [Fact]
    public async Task TrainEvaluateScore_RealData_GivesASaneModelThatLoadsAndScoresRawRows()
    {
        var tracking = NoTracking();
        await PreprocessStep.RunAsync(new StepArguments("preprocess",
            ["--data", s_data, "--train", P("train.csv"), "--test", P("test.csv"), "--spec", P("spec"), "--outputs", P("out")], PreprocessStep.Options), tracking);
        await TrainStep.RunAsync(new StepArguments("train",
            ["--train", P("train.csv"), "--spec", P("spec"), "--model", P("model"), "--trees", "100", "--outputs", P("out")], TrainStep.Options), tracking);
        var metrics = await EvaluateStep.RunAsync(new StepArguments("evaluate",
            ["--model", P("model"), "--test", P("test.csv"), "--report", P("report"), "--outputs", P("out")], EvaluateStep.Options), tracking);

        Assert.InRange(metrics.Auc, 0.75, 0.95);
        Assert.InRange(metrics.Accuracy, 0.72, 0.95);
        Assert.InRange(metrics.F1, 0.3, 0.95);
        Assert.InRange(metrics.LogLoss, 0.2, 0.6);
        Assert.Equal(891, metrics.Count);
        Assert.Equal(metrics.Auc, double.Parse(File.ReadAllText(P("out/auc")), CultureInfo.InvariantCulture));

        // The AUC agrees with ML.NET's own evaluator on the same predictions.
        var predictions = File.ReadAllLines(P("report/predictions.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        var ml = new Microsoft.ML.MLContext();
        var view = ml.Data.LoadFromEnumerable(predictions.Select(p => new Scored { Label = p[0] == "1", Score = float.Parse(p[1], CultureInfo.InvariantCulture), PredictedLabel = float.Parse(p[1], CultureInfo.InvariantCulture) >= 0.5f }));
        var reference = ml.BinaryClassification.EvaluateNonCalibrated(view, scoreColumnName: nameof(Scored.Score));
        Assert.Equal(reference.AreaUnderRocCurve, metrics.Auc, 6);

        var calibration = File.ReadAllLines(P("report/calibration.csv")).Skip(1).Select(l => int.Parse(l.Split(',')[2], CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(10, calibration.Count);
        Assert.Equal(891, calibration.Sum());
        AssertPng(P("report/roc.png"), 480, 480);
        AssertPng(P("report/feature_importance.png"), 650, null);

        // The model directory is self-contained: score the raw sample rows it carries (the first held-out rows).
        var scores = await ScoreStep.RunAsync(new StepArguments("score", ["--model", P("model"), "--output", P("scores.csv")], ScoreStep.Options));
        Assert.Equal(5, scores.Length);
        for (var i = 0; i < scores.Length; i++)
        {
            Assert.Equal(float.Parse(predictions[i][1], CultureInfo.InvariantCulture), scores[i], 5);
        }
    }

    [Theory]
    [InlineData(0.80, 0.75, null, 0.01, true, true)]
    [InlineData(0.70, 0.75, null, 0.01, false, false)]
    [InlineData(0.84, 0.75, 0.82, 0.01, true, true)]
    [InlineData(0.815, 0.75, 0.82, 0.01, true, false)]
    [InlineData(0.80, 0.75, 0.82, 0.01, false, false)]
    [InlineData(0.74, 0.75, 0.60, 0.01, false, false)]
    public void Gate_ThresholdAndChampionTolerance_DecideRegistrationAndChampionship(
        double auc, double threshold, double? champion, double tolerance, bool passed, bool beats)
    {
        var decision = GateDecision.Decide(auc, threshold, champion, tolerance);

        Assert.Equal(passed, decision.Passed);
        Assert.Equal(beats, decision.BeatsChampion);
    }

    [Fact]
    public void Auc_HandComputedExamples()
    {
        // Positives at 0.9 and 0.4, negatives at 0.8 and 0.1: 3 of 4 pairs ordered correctly.
        Assert.Equal(0.75, Metrics.Auc([true, false, true, false], [0.9f, 0.8f, 0.4f, 0.1f]));
        // A tie between a positive and a negative counts half.
        Assert.Equal(0.5, Metrics.Auc([true, false], [0.3f, 0.3f]));
        Assert.Equal(1.0, Metrics.Auc([false, true, true], [0.1f, 0.2f, 0.9f]));
    }

    [Fact]
    public void StepArguments_UnknownOrMalformedOptions_FailWithAClearMessage()
    {
        var unknown = Assert.Throws<StepFailedException>(() => new StepArguments("train", ["--tress", "5"], TrainStep.Options));
        var badNumber = Assert.Throws<StepFailedException>(() => new StepArguments("train", ["--trees", "many"], TrainStep.Options).Int("trees", 1));

        Assert.StartsWith("train: unknown option --tress; allowed: --train, --spec", unknown.Message, StringComparison.Ordinal);
        Assert.Equal("train: --trees must be an integer, got 'many'", badNumber.Message);
    }

    [Fact]
    public void PipelineYaml_IsValidAndStartsWithValidation()
    {
        var result = PipelineParser.ParseFile(Path.Combine(RepoPaths.Root, "pipelines", "credit-scoring", "pipeline.yaml"));
        Assert.True(result.IsValid, string.Join("\n", result.Diagnostics));
        var definition = result.Definition!;

        var plan = new PipelinePlanner(definition, ParameterResolver.Resolve(definition)).Plan(RunState.Empty);

        var validate = Assert.Single(plan.Ready);
        Assert.Equal("validate", validate.Key.Step);
        Assert.Equal("package:data/credit_data.csv", validate.Inputs.Single().Artifacts.Single().Uri);
        Assert.Equal(["validate", "preprocess", "train", "evaluate", "gate", "register"], definition.Steps.Select(s => s.Name));
    }

    private static void AssertPng(string path, int width, int? height)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
        Assert.Equal(width, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)));
        if (height is { } h)
        {
            Assert.Equal(h, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
        }

        Assert.Equal("IEND", System.Text.Encoding.ASCII.GetString(bytes, bytes.Length - 8, 4));
    }

    public sealed class Scored
    {
        public bool Label { get; set; }

        public float Score { get; set; }

        public bool PredictedLabel { get; set; }
    }
}
