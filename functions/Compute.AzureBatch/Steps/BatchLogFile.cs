namespace Serverless.Compute.AzureBatch.Steps;

/// <summary>Which of a task's logs to read.</summary>
public enum BatchLogFile
{
    /// <summary><c>stdout.txt</c>.</summary>
    Stdout,

    /// <summary><c>stderr.txt</c>.</summary>
    Stderr,
}
