namespace Serverless.Compute.AzureBatch.Models;

/// <summary>Where output files go.</summary>
/// <param name="Container">The blob container destination.</param>
public sealed record BatchOutputFileDestination(BatchOutputContainer Container);
