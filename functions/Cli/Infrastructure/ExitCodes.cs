namespace Serverless.Cli.Infrastructure;

/// <summary>The process exit codes scripts can rely on.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked (with --follow/wait: the run succeeded).</summary>
    public const int Success = 0;

    /// <summary>
    /// The command failed: the server refused it, could not be reached, the pipeline is invalid, or the
    /// followed run failed or was cancelled.
    /// </summary>
    public const int Error = 1;

    /// <summary>The command line itself is wrong (unknown option, missing argument, bad value).</summary>
    public const int Usage = 2;

    /// <summary>Following stopped on Ctrl+C (128 + SIGINT, the shell convention).</summary>
    public const int Interrupted = 130;
}
