using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Serverless.CreditScoring;

/// <summary>
/// The model artifact: a directory with the ML.NET model (<c>model.zip</c>), the preprocessing spec, the
/// feature importances, a few raw sample rows and a small descriptor. Everything needed to score raw
/// applicants later.
/// </summary>
internal sealed class ModelBundle
{
    public const string ModelFile = "model.zip";
    public const string SpecFile = "preprocessing.json";
    public const string ImportanceFile = "feature_importance.json";
    public const string SampleFile = "sample.csv";
    public const string DescriptorFile = "model.json";
    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true };

    private ModelBundle(MLContext ml, ITransformer model, PreprocessingSpec spec, IReadOnlyDictionary<string, double> importance)
    {
        Ml = ml;
        Model = model;
        Spec = spec;
        Importance = importance;
    }

    public MLContext Ml { get; }

    public ITransformer Model { get; }

    public PreprocessingSpec Spec { get; }

    public IReadOnlyDictionary<string, double> Importance { get; }

    public static IDataView ToDataView(MLContext ml, FeatureTable table)
    {
        var schema = SchemaDefinition.Create(typeof(FeatureRow));
        schema[nameof(FeatureRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, table.FeatureNames.Count);
        var rows = Enumerable.Range(0, table.Count).Select(i => new FeatureRow { Label = table.Labels[i], Features = table.Features[i] }).ToList();
        return ml.Data.LoadFromEnumerable(rows, schema);
    }

    public static void Save(string directory, MLContext ml, ITransformer model, DataViewSchema schema, PreprocessingSpec spec,
        IReadOnlyDictionary<string, double> importance, IEnumerable<string> sampleCsvLines, object descriptor)
    {
        Directory.CreateDirectory(directory);
        ml.Model.Save(model, schema, Path.Combine(directory, ModelFile));
        spec.Save(Path.Combine(directory, SpecFile));
        File.WriteAllText(Path.Combine(directory, ImportanceFile), JsonSerializer.Serialize(importance, s_json));
        File.WriteAllLines(Path.Combine(directory, SampleFile), sampleCsvLines);
        File.WriteAllText(Path.Combine(directory, DescriptorFile), JsonSerializer.Serialize(descriptor, s_json));
    }

    public static ModelBundle Load(string directory)
    {
        var modelPath = Path.Combine(directory, ModelFile);
        if (!File.Exists(modelPath))
        {
            throw new StepFailedException($"{directory} is not a model directory: {ModelFile} is missing");
        }

        var ml = new MLContext(seed: 0);
        var model = ml.Model.Load(modelPath, out _);
        var spec = PreprocessingSpec.Load(Path.Combine(directory, SpecFile));
        var importancePath = Path.Combine(directory, ImportanceFile);
        var importance = File.Exists(importancePath)
            ? JsonSerializer.Deserialize<Dictionary<string, double>>(File.ReadAllText(importancePath)) ?? []
            : [];
        return new ModelBundle(ml, model, spec, importance);
    }

    /// <summary>The probability of a bad credit for each row of <paramref name="table"/>.</summary>
    public float[] PredictProbabilities(FeatureTable table) =>
        Model.Transform(ToDataView(Ml, table)).GetColumn<float>("Probability").ToArray();

    /// <summary>Scores raw applicants (as read from a CSV with the data set's columns).</summary>
    public float[] Score(IReadOnlyList<CreditRecord> records) => PredictProbabilities(Preprocessor.Encode(Spec, records));
}
