namespace Serverless.Compute.AzureBatch.Models;

/// <summary>The auto-user a task runs as.</summary>
/// <param name="Scope">Per task or shared by the pool.</param>
/// <param name="ElevationLevel">Admin (root) or not.</param>
public sealed record BatchAutoUserSpecification(BatchAutoUserScope Scope, BatchElevationLevel ElevationLevel);
