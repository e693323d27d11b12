using System.Security.Cryptography;
using System.Text;

namespace Serverless.Tracking;

/// <summary>
/// Turns any user-supplied name into a Table key fragment. Only <c>[A-Za-z0-9-_.]</c> pass through;
/// every other UTF-8 byte becomes <c>!XX</c>. That removes the characters Table keys forbid
/// (<c>/ \ # ?</c>, control characters), quotes that would need OData escaping, and the <c>~</c>
/// and <c>_</c>-free separators our composite keys use. Over-long results are hashed.
/// </summary>
internal static class KeyEncoding
{
    // Keys are at most 1 KiB; leave room for the prefixes and suffixes composite keys add.
    private const int MaxEncodedLength = 700;

    public static string Encode(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        var builder = new StringBuilder(bytes.Length + 8);
        foreach (var b in bytes)
        {
            var c = (char)b;
            if (b < 0x80 && (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('!').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        if (builder.Length <= MaxEncodedLength)
        {
            return builder.ToString();
        }

        // Distinct long names stay distinct: keep a readable head and add a digest of the whole.
        var digest = Convert.ToHexString(SHA256.HashData(bytes));
        return builder.ToString(0, MaxEncodedLength - 66) + "!!" + digest;
    }
}
