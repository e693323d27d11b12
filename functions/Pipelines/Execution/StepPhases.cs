namespace Serverless.Pipelines.Execution;

/// <summary>
/// An attempt's time split the way Azure ML splits a job's (preparing, running, finalizing): what the platform
/// spent around the command, and the command's own run time.
/// </summary>
/// <param name="Prepare">Work directory, input downloads and environment, up to the command's start.</param>
/// <param name="Command">The command, from its process start to its exit.</param>
/// <param name="Finalize">After the exit: the last output read, output uploads and the last log appends.</param>
public sealed record StepPhases(TimeSpan Prepare, TimeSpan Command, TimeSpan Finalize);
