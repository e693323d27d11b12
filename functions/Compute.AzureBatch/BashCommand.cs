using System.Text;

namespace Serverless.Compute.AzureBatch;

/// <summary>
/// Builds Batch command lines. Batch does not run <c>commandLine</c> under a shell, so a step's
/// command is wrapped in <c>/bin/bash -c '…'</c>; everything inside is single-quoted so no character
/// of a user's command can end the quoting early.
/// </summary>
public static class BashCommand
{
    /// <summary>Quotes one word for bash: <c>it's</c> becomes <c>'it'\''s'</c>.</summary>
    /// <param name="word">The text to pass as one argument.</param>
    public static string Quote(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        if (word.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("A shell word cannot contain a NUL character.", nameof(word));
        }

        return "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    /// <summary>Joins arguments into a command where each argument stays one word.</summary>
    /// <param name="arguments">The program and its arguments.</param>
    public static string Join(IEnumerable<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var builder = new StringBuilder();
        foreach (var argument in arguments)
        {
            if (builder.Length > 0)
            {
                builder.Append(' ');
            }

            builder.Append(Quote(argument));
        }

        return builder.ToString();
    }

    /// <summary>Wraps a bash script so Batch runs it: <c>/bin/bash -c '&lt;script&gt;'</c>.</summary>
    /// <param name="script">The script; variables such as <c>$AZ_BATCH_TASK_WORKING_DIR</c> expand inside.</param>
    public static string Wrap(string script)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(script);
        return "/bin/bash -c " + Quote(script);
    }
}
