namespace Serverless.Compute.AzureBatch.Steps;

/// <summary>The input of <see cref="BatchStepActivities.EndRun"/>: the run whose Batch jobs are to be closed.</summary>
/// <param name="RunId">The pipeline run id (the run orchestration's instance id).</param>
/// <param name="PoolIds">
/// The pools the run's Batch steps used (<see cref="BatchStepPlanner.PoolsFor"/>); when empty, the configured GPU
/// and CPU pools. A job that was never created is skipped.
/// </param>
public sealed record BatchRunEndInput(string RunId, IReadOnlyList<string>? PoolIds = null);
