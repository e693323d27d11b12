using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Serverless.Pipelines.Attempts;

/// <summary>
/// The rule for pipeline-run ids, shared by everything that makes one (callers, schedules, sweeps) and
/// the run service that checks them, so an id built elsewhere is never refused at start.
/// </summary>
public static partial class PipelineRunIds
{
    /// <summary>The longest run id: it is also an instance id, a table key and part of blob paths.</summary>
    public const int MaxLength = 100;

    /// <summary>What a valid id is, for error messages.</summary>
    public const string Rule = "1-100 letters, digits, '-', '_' or '.', starting with a letter or digit";

    /// <summary>True when <paramref name="runId"/> may be used as a run id.</summary>
    public static bool IsValid(string? runId) => runId is not null && Pattern().IsMatch(runId);

    /// <summary>
    /// <paramref name="prefix"/> followed by <paramref name="suffix"/>, shortened to <see cref="MaxLength"/>
    /// when needed by cutting the prefix and adding 8 hex digits of its hash: the result stays
    /// deterministic and distinct for distinct prefixes, and the suffix (which usually carries the
    /// time or occurrence) is always kept whole.
    /// </summary>
    public static string Compose(string prefix, string suffix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        ArgumentNullException.ThrowIfNull(suffix);
        if (prefix.Length + suffix.Length <= MaxLength)
        {
            return prefix + suffix;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(prefix)))[..8];
        var keep = MaxLength - suffix.Length - hash.Length - 1;
        if (keep < 1)
        {
            throw new ArgumentException($"suffix '{suffix}' leaves no room for a prefix within {MaxLength} characters", nameof(suffix));
        }

        return $"{prefix[..keep]}-{hash}{suffix}";
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")]
    private static partial Regex Pattern();
}
