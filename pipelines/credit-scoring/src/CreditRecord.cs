namespace Serverless.CreditScoring;

/// <summary>One applicant as read from the CSV; missing cells are null.</summary>
internal sealed class CreditRecord
{
    public required int Line { get; init; }

    public string? Status { get; set; }

    public Dictionary<string, double?> Numbers { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string?> Categories { get; } = new(StringComparer.Ordinal);

    public bool IsBad => Status == CreditSchema.Positive;
}
