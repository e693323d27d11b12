namespace Serverless.Pipelines.Execution;

/// <summary>Settings of <see cref="LocalStepExecutor"/>.</summary>
public sealed class LocalExecutorOptions
{
    /// <summary>The configuration section these options are read from.</summary>
    public const string SectionName = "Serverless:Pipelines:Local";

    /// <summary>Blob container for step outputs and logs (created on first use).</summary>
    public string ArtifactContainer { get; set; } = "pipeline-artifacts";

    /// <summary>Where per-attempt working directories are created.</summary>
    public string WorkRoot { get; set; } = Path.Combine(Path.GetTempPath(), "serverless-steps");

    /// <summary>How often buffered stdout/stderr is appended to the log blobs.</summary>
    public TimeSpan LogFlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>After SIGTERM on timeout or cancellation, how long the process group has before SIGKILL.</summary>
    public TimeSpan KillGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Keep working directories after the attempt (for debugging).</summary>
    public bool KeepWorkDirectories { get; set; }
}
