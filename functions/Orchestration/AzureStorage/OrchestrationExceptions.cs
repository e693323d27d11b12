namespace Serverless.Orchestration;

/// <summary>A start was refused because an instance with that id exists and has not finished.</summary>
public sealed class InstanceAlreadyExistsException(string instanceId, OrchestrationStatus status)
    : InvalidOperationException($"An orchestration with instance id '{instanceId}' already exists and is {status}.")
{
    /// <summary>The instance id.</summary>
    public string InstanceId { get; } = instanceId;

    /// <summary>The existing instance's status.</summary>
    public OrchestrationStatus Status { get; } = status;
}

/// <summary>No instance with the given id exists.</summary>
public sealed class InstanceNotFoundException(string instanceId)
    : InvalidOperationException($"No orchestration instance with id '{instanceId}' exists.")
{
    /// <summary>The instance id.</summary>
    public string InstanceId { get; } = instanceId;
}

/// <summary>The instance exists but its status does not allow the operation (e.g. raising an event on a finished instance).</summary>
public sealed class InstanceStateException(string instanceId, OrchestrationStatus status, string operation)
    : InvalidOperationException($"Cannot {operation} instance '{instanceId}': it is {status}.")
{
    /// <summary>The instance id.</summary>
    public string InstanceId { get; } = instanceId;

    /// <summary>The instance's status.</summary>
    public OrchestrationStatus Status { get; } = status;
}
