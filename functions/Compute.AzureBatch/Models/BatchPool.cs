using System.Text.Json.Serialization;

namespace Serverless.Compute.AzureBatch.Models;

/// <summary>A pool as <c>GET /pools</c> returns it: what diagnostics need to explain a task that waits.</summary>
public sealed class BatchPool
{
    /// <summary>The pool id.</summary>
    public string? Id { get; set; }

    /// <summary><c>active</c> or <c>deleting</c>.</summary>
    public string? State { get; set; }

    /// <summary><c>steady</c>, <c>resizing</c> or <c>stopping</c>.</summary>
    public string? AllocationState { get; set; }

    /// <summary>The VM size, e.g. <c>standard_nc4as_t4_v3</c>.</summary>
    public string? VmSize { get; set; }

    /// <summary>Dedicated nodes now.</summary>
    public int CurrentDedicatedNodes { get; set; }

    /// <summary>Spot (low-priority) nodes now.</summary>
    public int CurrentLowPriorityNodes { get; set; }

    /// <summary>Dedicated nodes wanted.</summary>
    public int TargetDedicatedNodes { get; set; }

    /// <summary>Spot nodes wanted.</summary>
    public int TargetLowPriorityNodes { get; set; }

    /// <summary>Whether autoscale is on.</summary>
    public bool EnableAutoScale { get; set; }

    /// <summary>The autoscale formula.</summary>
    public string? AutoScaleFormula { get; set; }

    /// <summary>Task slots per node.</summary>
    public int TaskSlotsPerNode { get; set; }

    /// <summary>Errors of the last resize (e.g. quota reached), the usual reason a task never starts.</summary>
    public IList<BatchResizeError>? ResizeErrors { get; set; }

    /// <summary>Fields this type does not model, kept for diagnostics output.</summary>
    [JsonExtensionData]
    public IDictionary<string, object>? AdditionalProperties { get; set; }
}
