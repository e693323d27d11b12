namespace Serverless.Compute.AzureBatch.Steps;

/// <summary>
/// A Batch step that cannot be submitted as configured (no pool, no image, an input a node cannot read). Not
/// transient: the attempt fails with this message instead of being retried.
/// </summary>
public sealed class BatchStepConfigurationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public BatchStepConfigurationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public BatchStepConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception (for serializers and analyzers).</summary>
    public BatchStepConfigurationException()
    {
    }
}
