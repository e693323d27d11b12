using System.Globalization;
using System.Text;

namespace Serverless.Tracking.Search;

/// <summary>Offset-based page tokens: opaque to clients, checked on the way back in.</summary>
internal static class PageToken
{
    private const string Prefix = "offset:";

    public static string? Next(int offset, int pageSize, int total) =>
        offset + pageSize < total ? Convert.ToBase64String(Encoding.UTF8.GetBytes(Prefix + (offset + pageSize).ToString(CultureInfo.InvariantCulture))) : null;

    public static int Decode(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return 0;
        }

        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            if (text.StartsWith(Prefix, StringComparison.Ordinal)
                && int.TryParse(text.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
            {
                return offset;
            }
        }
        catch (FormatException)
        {
            // Reported below with the same message as any other malformed token.
        }

        throw TrackingException.Invalid($"Invalid page_token '{token}': pass back the next_page_token of a previous response unchanged");
    }
}
