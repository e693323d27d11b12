namespace Serverless.Compute.AzureBatch.Models;

/// <summary>A name/value detail of a failure.</summary>
public sealed class BatchNameValuePair
{
    /// <summary>The name.</summary>
    public string? Name { get; set; }

    /// <summary>The value.</summary>
    public string? Value { get; set; }
}
