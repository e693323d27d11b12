namespace Serverless.Compute.AzureBatch.Models;

/// <summary>A private registry the task's image is pulled from, authenticated with a pool identity.</summary>
public sealed class BatchContainerRegistry
{
    /// <summary>The registry host, e.g. <c>myacr.azurecr.io</c>.</summary>
    public required string RegistryServer { get; set; }

    /// <summary>The pool identity with AcrPull on the registry.</summary>
    public BatchIdentityReference? IdentityReference { get; set; }
}
