namespace Serverless.Cli.Runs;

/// <summary>The run and step status words of the API.</summary>
internal static class RunStatuses
{
    /// <summary>The run succeeded.</summary>
    public const string Succeeded = "Succeeded";

    /// <summary>True for a run status that can change no more.</summary>
    public static bool IsTerminal(string? status) =>
        status is "Succeeded" or "Failed" or "Cancelled" or "Terminated";

    /// <summary>True for a step status that can change no more.</summary>
    public static bool IsStepFinished(string? status) =>
        status is "Succeeded" or "Failed" or "Skipped" or "Cached" or "Cancelled";
}
