using System.Text.Json;

namespace Serverless.CreditScoring;

/// <summary>
/// How raw applicants become feature vectors: imputation values learnt on the training split and the
/// one-hot layout. Saved with the model so scoring applies exactly the same transformation.
/// </summary>
internal sealed record PreprocessingSpec
{
    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true };

    public required IReadOnlyDictionary<string, double> Medians { get; init; }

    public required IReadOnlyDictionary<string, string> Modes { get; init; }

    public required IReadOnlyList<string> FeatureNames { get; init; }

    /// <summary>The feature vector of <paramref name="record"/>: numeric columns, then one indicator per category level.</summary>
    public float[] Encode(CreditRecord record)
    {
        var features = new float[FeatureNames.Count];
        var i = 0;
        foreach (var column in CreditSchema.Numeric)
        {
            features[i++] = (float)(record.Numbers[column] ?? Medians[column]);
        }

        foreach (var (column, levels) in CreditSchema.Categories)
        {
            var value = record.Categories[column] ?? Modes[column];
            foreach (var level in levels)
            {
                features[i++] = value == level ? 1f : 0f;
            }
        }

        return features;
    }

    /// <summary>Learns the imputation values from <paramref name="training"/>.</summary>
    public static PreprocessingSpec Fit(IReadOnlyList<CreditRecord> training)
    {
        var medians = CreditSchema.Numeric.ToDictionary(c => c, c => Median(training.Select(r => r.Numbers[c]).OfType<double>().ToList()), StringComparer.Ordinal);
        var modes = CreditSchema.Categories.Keys.ToDictionary(c => c, c => training
            .Select(r => r.Categories[c]).OfType<string>()
            .GroupBy(v => v).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First().Key, StringComparer.Ordinal);
        var names = CreditSchema.Numeric.Concat(CreditSchema.Categories.SelectMany(kv => kv.Value.Select(level => $"{kv.Key}={level}"))).ToList();
        return new PreprocessingSpec { Medians = medians, Modes = modes, FeatureNames = names };
    }

    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, s_json));

    public static PreprocessingSpec Load(string path) =>
        JsonSerializer.Deserialize<PreprocessingSpec>(File.ReadAllText(path), s_json)
        ?? throw new StepFailedException($"{path} is not a preprocessing spec");

    private static double Median(List<double> values)
    {
        values.Sort();
        var mid = values.Count / 2;
        return values.Count % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }
}
