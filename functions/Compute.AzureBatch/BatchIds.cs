using System.Security.Cryptography;
using System.Text;

namespace Serverless.Compute.AzureBatch;

/// <summary>
/// Deterministic Batch ids for pipeline runs and step attempts. Batch ids hold letters, digits,
/// hyphens and underscores, at most 64 characters, and compare case-insensitively; a create retried
/// with the same id answers 409 instead of starting the work twice.
/// </summary>
public static class BatchIds
{
    /// <summary>The longest id Batch accepts.</summary>
    public const int MaxLength = 64;

    private const int HashLength = 10;

    /// <summary>The job id of a pipeline run: one job per run.</summary>
    /// <param name="runId">The pipeline run's id (any text).</param>
    public static string ForJob(string runId) => Create(runId);

    /// <summary>
    /// The job id of a pipeline run's steps on one pool. A Batch job is bound to a single pool, so a run
    /// with steps on the GPU and the CPU pool has one job per pool.
    /// </summary>
    /// <param name="runId">The pipeline run's id (any text).</param>
    /// <param name="poolId">The pool the job's tasks run on.</param>
    public static string ForJob(string runId, string poolId)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        ArgumentException.ThrowIfNullOrEmpty(poolId);
        return Create(runId + "--" + poolId);
    }

    /// <summary>The task id of one attempt of a step: one task per attempt.</summary>
    /// <param name="stepName">The step name (any text).</param>
    /// <param name="attempt">The attempt number, starting at 1.</param>
    public static string ForTask(string stepName, int attempt)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        ArgumentException.ThrowIfNullOrEmpty(stepName);
        // The attempt suffix is kept outside the shortened part so attempts of one step stay recognisable.
        var suffix = FormattableString.Invariant($"-a{attempt}");
        return Create(stepName, MaxLength - suffix.Length, hashInput: stepName + suffix) + suffix;
    }

    /// <summary>
    /// Maps any text to a valid id: unsupported characters become <c>-</c>; when anything was
    /// replaced, the case would matter, or the text is too long, a hash of the original text is appended
    /// so two different names never share an id.
    /// </summary>
    /// <param name="name">The text.</param>
    public static string Create(string name) => Create(name, MaxLength, name);

    private static string Create(string name, int maxLength, string hashInput)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var builder = new StringBuilder(name.Length);
        var changed = false;
        foreach (var c in name)
        {
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            {
                builder.Append(c);
                changed |= char.IsAsciiLetterUpper(c);
            }
            else
            {
                builder.Append('-');
                changed = true;
            }
        }

        var clean = builder.ToString();
        if (!changed && clean.Length <= maxLength)
        {
            return clean;
        }

        var hash = Hash(hashInput);
        var keep = Math.Min(clean.Length, maxLength - HashLength - 1);
        return clean[..keep].ToLowerInvariant() + "-" + hash;
    }

    private static string Hash(string text)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        return Convert.ToHexStringLower(bytes)[..HashLength];
    }
}
