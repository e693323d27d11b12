namespace Serverless.Orchestration.AzureStorage;

/// <summary>
/// Another worker changed the instance row since this worker read it: this worker's copy is stale and
/// its episode must be thrown away (the messages are released and processed again from storage).
/// </summary>
internal sealed class CheckpointConflictException(string instanceId, Exception inner)
    : Exception($"Instance '{instanceId}' was changed by another worker; the episode is discarded.", inner);
