namespace Serverless.Compute.AzureBatch.Models;

/// <summary>When output files are uploaded.</summary>
/// <param name="UploadCondition">The condition.</param>
public sealed record BatchOutputFileUploadOptions(BatchUploadCondition UploadCondition);
