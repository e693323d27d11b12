namespace Serverless.Compute.AzureBatch.Models;

/// <summary>A user-assigned managed identity attached to the pool, by its ARM resource id.</summary>
/// <param name="ResourceId">The identity's ARM resource id.</param>
public sealed record BatchIdentityReference(string ResourceId);
