namespace Serverless.Cli.Infrastructure;

/// <summary>
/// A failure the user can act on. The message is printed as one line on stderr (plus optional detail
/// lines such as pipeline diagnostics) and the process exits with <see cref="ExitCode"/>; no stack trace.
/// </summary>
internal sealed class CliException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">One line naming what is wrong.</param>
    /// <param name="exitCode">The process exit code.</param>
    /// <param name="details">Further lines printed after the message (e.g. <c>file:line:col: message</c>).</param>
    public CliException(string message, int exitCode = ExitCodes.Error, IReadOnlyList<string>? details = null)
        : base(message)
    {
        ExitCode = exitCode;
        Details = details ?? [];
    }

    /// <summary>The process exit code.</summary>
    public int ExitCode { get; }

    /// <summary>Lines printed after the message.</summary>
    public IReadOnlyList<string> Details { get; }
}
