namespace Serverless.Compute.AzureBatch.Models;

/// <summary>An error of a pool resize.</summary>
public sealed class BatchResizeError
{
    /// <summary>The code, e.g. <c>AccountCoreQuotaReached</c>.</summary>
    public string? Code { get; set; }

    /// <summary>The message.</summary>
    public string? Message { get; set; }
}
