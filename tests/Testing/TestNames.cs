using System.Security.Cryptography;

namespace Serverless.Testing;

/// <summary>Unique, storage-safe names so parallel tests never share a table, queue or container.</summary>
public static class TestNames
{
    /// <summary>A lowercase alphanumeric name starting with <paramref name="prefix"/>, at most 24 characters.</summary>
    public static string Unique(string prefix)
    {
        var suffix = Convert.ToHexString(RandomNumberGenerator.GetBytes(5)).ToLowerInvariant();
        var head = new string(prefix.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).ToArray());
        if (head.Length == 0 || !char.IsAsciiLetter(head[0]))
        {
            head = "t" + head;
        }

        head = head.Length > 14 ? head[..14] : head;
        return head + suffix;
    }
}
