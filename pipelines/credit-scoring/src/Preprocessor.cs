namespace Serverless.CreditScoring;

/// <summary>Stratified split, then imputation (fitted on the training split only) and one-hot encoding.</summary>
internal static class Preprocessor
{
    /// <summary>Splits <paramref name="records"/> so each class keeps its share in both parts.</summary>
    public static (List<CreditRecord> Train, List<CreditRecord> Test) StratifiedSplit(IReadOnlyList<CreditRecord> records, double testFraction, int seed)
    {
        if (testFraction is <= 0 or >= 1)
        {
            throw new StepFailedException($"--test-fraction must be between 0 and 1 (exclusive), got {testFraction}");
        }

        var random = new Random(seed);
        var train = new List<CreditRecord>();
        var test = new List<CreditRecord>();
        foreach (var group in records.GroupBy(r => r.Status).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var members = group.ToArray();
            random.Shuffle(members);
            var testCount = (int)Math.Round(members.Length * testFraction);
            test.AddRange(members.Take(testCount));
            train.AddRange(members.Skip(testCount));
        }

        // Back to file order, so the output does not depend on the grouping above.
        train.Sort((a, b) => a.Line.CompareTo(b.Line));
        test.Sort((a, b) => a.Line.CompareTo(b.Line));
        return (train, test);
    }

    public static FeatureTable Encode(PreprocessingSpec spec, IReadOnlyList<CreditRecord> records) =>
        new(spec.FeatureNames, records.Select(r => r.IsBad).ToList(), records.Select(spec.Encode).ToList());
}
