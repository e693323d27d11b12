namespace Serverless.Compute.AzureBatch.Models;

/// <summary>The identity a task runs under on the node.</summary>
/// <param name="AutoUser">The auto-user specification.</param>
public sealed record BatchUserIdentity(BatchAutoUserSpecification AutoUser);
