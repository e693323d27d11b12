namespace Serverless.Compute.AzureBatch.Models;

/// <summary>The pool a job's tasks run on (<c>poolInfo</c>).</summary>
/// <param name="PoolId">An existing pool's id.</param>
public sealed record BatchPoolInformation(string PoolId);
