namespace Serverless.Pipelines.Orchestration;

/// <summary>Settings of durable pipeline runs (section <c>Serverless:Pipelines</c>).</summary>
public sealed class PipelineRunOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Serverless:Pipelines";

    /// <summary>The MLflow tracking URI steps log to; the host's own address by default.</summary>
    public string? TrackingUri { get; set; }

    /// <summary>Folder of pipeline folders that a run by name publishes first when they changed; null for none.</summary>
    public string? SourceRoot { get; set; }

    /// <summary>Where fetched packages are kept, one directory per version.</summary>
    public string PackageCacheRoot { get; set; } = Path.Combine(Path.GetTempPath(), "serverless-packages");

    /// <summary>Where local attempts record their process group, so a restarted host can kill an orphaned one.</summary>
    public string AttemptStateRoot { get; set; } = Path.Combine(Path.GetTempPath(), "serverless-attempts");

    /// <summary>Table of the step cache (successful results by cache key).</summary>
    public string CacheTable { get; set; } = "PipelineStepCache";

    /// <summary>Blob container of cancel markers.</summary>
    public string ControlContainer { get; set; } = "pipeline-control";

    /// <summary>How often a running local step checks for its cancel marker.</summary>
    public TimeSpan CancelPollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How long past a step's timeout the run waits for the attempt's result before it counts the attempt as
    /// timed out itself (the executor normally reports the timeout first).
    /// </summary>
    public TimeSpan TimeoutGrace { get; set; } = TimeSpan.FromMinutes(2);
}
