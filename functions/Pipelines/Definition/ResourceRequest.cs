namespace Serverless.Pipelines.Definition;

/// <summary>What a step asks of its compute. Local execution records these; Batch uses them to pick a pool and slots.</summary>
public sealed record ResourceRequest
{
    /// <summary>CPU cores (fractions allowed).</summary>
    public double? Cpu { get; init; }

    /// <summary>Memory in bytes.</summary>
    public long? MemoryBytes { get; init; }

    /// <summary>GPU count.</summary>
    public int? Gpu { get; init; }

    /// <summary>Azure VM size, e.g. <c>Standard_NC4as_T4_v3</c>.</summary>
    public string? VmSize { get; init; }

    /// <summary>Batch pool id.</summary>
    public string? Pool { get; init; }

    /// <summary>Container image for Batch (overrides the pipeline's environment image).</summary>
    public string? Image { get; init; }
}
