namespace Serverless.CreditScoring;

/// <summary>The expected shape of <c>credit_data.csv</c>; anything else is schema drift.</summary>
internal static class CreditSchema
{
    public const string Target = "Status";

    /// <summary>The target value treated as the positive class: the model predicts the risk of a bad credit.</summary>
    public const string Positive = "bad";

    public static readonly string[] Columns =
        ["Status", "Seniority", "Home", "Time", "Age", "Marital", "Records", "Job", "Expenses", "Income", "Assets", "Debt", "Amount", "Price"];

    public static readonly string[] Numeric = ["Seniority", "Time", "Age", "Expenses", "Income", "Assets", "Debt", "Amount", "Price"];

    /// <summary>Known levels of each categorical predictor, in a fixed order so the encoding never depends on the data.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Categories = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["Home"] = ["ignore", "other", "owner", "parents", "priv", "rent"],
        ["Marital"] = ["divorced", "married", "separated", "single", "widow"],
        ["Records"] = ["no", "yes"],
        ["Job"] = ["fixed", "freelance", "others", "partime"],
    };

    public static readonly string[] Classes = ["bad", "good"];
}
