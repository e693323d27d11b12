namespace Serverless.CreditScoring;

/// <summary>The row type ML.NET reads: a label and a feature vector (its length is set at run time).</summary>
public sealed class FeatureRow
{
    /// <summary>True when the applicant was a bad credit risk.</summary>
    public bool Label { get; set; }

    /// <summary>The encoded features, laid out as in the preprocessing spec.</summary>
    public float[] Features { get; set; } = [];
}
