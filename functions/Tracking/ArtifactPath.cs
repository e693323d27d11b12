namespace Serverless.Tracking;

/// <summary>
/// Artifact paths are user input and become blob names. A path is accepted only if it is a plain
/// relative path: no <c>..</c> or <c>.</c> segments, no leading slash or drive letter, no empty
/// segments, no backslashes, no control characters and no leftover percent-encoding (which would
/// mean it was encoded twice to smuggle one of the others through).
/// </summary>
public static class ArtifactPath
{
    /// <summary>Longest accepted path; Blob names allow 1,024 characters.</summary>
    public const int MaxLength = 1024;

    /// <summary>Returns the normalized path (one trailing slash removed) or throws INVALID_PARAMETER_VALUE.</summary>
    /// <param name="path">The decoded path.</param>
    /// <exception cref="TrackingException">The path is unsafe; the message says why.</exception>
    public static string Validate(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            throw TrackingException.Invalid("Invalid artifact path: it is empty.");
        }

        if (path.Length > MaxLength)
        {
            throw TrackingException.Invalid($"Invalid artifact path: it is {path.Length} characters long; the limit is {MaxLength}.");
        }

        foreach (var c in path)
        {
            if (char.IsControl(c))
            {
                throw TrackingException.Invalid($"Invalid artifact path '{Printable(path)}': control character U+{(int)c:X4} is not allowed.");
            }

            if (c == '\\')
            {
                throw TrackingException.Invalid($"Invalid artifact path '{path}': backslashes are not allowed; use '/'.");
            }
        }

        if (path.StartsWith('/') || (path.Length >= 2 && path[1] == ':' && char.IsAsciiLetter(path[0])))
        {
            throw TrackingException.Invalid($"Invalid artifact path '{path}': absolute paths are not allowed.");
        }

        if (HasPercentEncoding(path))
        {
            throw TrackingException.Invalid($"Invalid artifact path '{path}': it is still percent-encoded after decoding.");
        }

        var trimmed = path.EndsWith('/') ? path[..^1] : path;
        foreach (var segment in trimmed.Split('/'))
        {
            if (segment is "" or "." or "..")
            {
                throw TrackingException.Invalid($"Invalid artifact path '{path}': '{segment}' segments are not allowed (no '..', '.', or '//').");
            }
        }

        return trimmed;
    }

    private static bool HasPercentEncoding(string path)
    {
        for (var i = 0; i + 2 < path.Length; i++)
        {
            if (path[i] == '%' && Uri.IsHexDigit(path[i + 1]) && Uri.IsHexDigit(path[i + 2]))
            {
                return true;
            }
        }

        return false;
    }

    private static string Printable(string s) => new(s.Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
