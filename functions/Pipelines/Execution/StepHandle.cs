namespace Serverless.Pipelines.Execution;

/// <summary>
/// Identifies a started step execution. Serializable, so an orchestrator can keep it in its history and
/// ask about the execution later (for Batch, after a restart).
/// </summary>
/// <param name="Executor">Which executor started it, e.g. <c>local</c> or <c>batch</c>.</param>
/// <param name="Id">The executor's id for it.</param>
public sealed record StepHandle(string Executor, string Id);
