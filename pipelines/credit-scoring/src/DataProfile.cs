namespace Serverless.CreditScoring;

/// <summary>What the validate step learns about the data.</summary>
internal sealed record DataProfile
{
    public required int Rows { get; init; }

    public required IReadOnlyDictionary<string, int> ClassCounts { get; init; }

    public required double BadRate { get; init; }

    public required IReadOnlyDictionary<string, int> MissingCounts { get; init; }

    public required int RowsWithMissing { get; init; }

    public required IReadOnlyDictionary<string, NumericSummary> Numeric { get; init; }

    public required IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> Categorical { get; init; }

    public required string Sha256 { get; init; }

    /// <summary>Computes the profile of <paramref name="records"/>.</summary>
    public static DataProfile Of(IReadOnlyList<CreditRecord> records, string sha256)
    {
        var missing = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var column in CreditSchema.Columns)
        {
            missing[column] = column == CreditSchema.Target ? 0
                : CreditSchema.Numeric.Contains(column) ? records.Count(r => r.Numbers[column] is null)
                : records.Count(r => r.Categories[column] is null);
        }

        var numeric = CreditSchema.Numeric.ToDictionary(c => c, c =>
        {
            var values = records.Select(r => r.Numbers[c]).OfType<double>().ToList();
            return new NumericSummary(values.Min(), values.Max(), values.Average());
        }, StringComparer.Ordinal);
        var categorical = CreditSchema.Categories.Keys.ToDictionary(c => c, c => (IReadOnlyDictionary<string, int>)records
            .Where(r => r.Categories[c] is not null)
            .GroupBy(r => r.Categories[c]!)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal), StringComparer.Ordinal);
        var classes = CreditSchema.Classes.ToDictionary(c => c, c => records.Count(r => r.Status == c), StringComparer.Ordinal);
        return new DataProfile
        {
            Rows = records.Count,
            ClassCounts = classes,
            BadRate = records.Count == 0 ? 0 : (double)classes[CreditSchema.Positive] / records.Count,
            MissingCounts = missing,
            RowsWithMissing = records.Count(r => r.Numbers.Values.Any(v => v is null) || r.Categories.Values.Any(v => v is null)),
            Numeric = numeric,
            Categorical = categorical,
            Sha256 = sha256,
        };
    }
}

/// <summary>Range and mean of a numeric column (missing cells left out).</summary>
internal sealed record NumericSummary(double Min, double Max, double Mean);
