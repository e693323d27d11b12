using System.Buffers.Text;
using System.Text;

namespace Serverless.Orchestration.Http;

/// <summary>
/// Wraps the storage continuation token handed out in <c>x-ms-continuation-token</c>. The wrapper is
/// opaque to clients and lets a token that did not come from this API be refused with a clear 400
/// instead of being passed to storage as a silent, wrong starting point.
/// </summary>
internal static class ContinuationTokens
{
    private const string Prefix = "dt1.";

    public static string Wrap(string storageToken) =>
        Prefix + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(storageToken));

    /// <summary>The storage token inside <paramref name="header"/>; null when the header is absent or empty.</summary>
    public static string? Unwrap(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return null;
        }

        header = header.Trim();
        if (header.StartsWith(Prefix, StringComparison.Ordinal) && Base64Url.IsValid(header.AsSpan(Prefix.Length)))
        {
            try
            {
                return Encoding.UTF8.GetString(Base64Url.DecodeFromChars(header.AsSpan(Prefix.Length)));
            }
            catch (FormatException)
            {
                // Falls through to the error below.
            }
        }

        throw new ManagementApiException(400, ManagementErrorCodes.InvalidParameter,
            $"Header '{ManagementRequest.ContinuationHeader}': '{Truncate(header)}' is not a continuation token returned by this API; " +
            "send the value from the previous page's response unchanged.");
    }

    private static string Truncate(string value) => value.Length <= 80 ? value : value[..80] + "...";
}
