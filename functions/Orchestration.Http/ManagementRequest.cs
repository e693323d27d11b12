using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Serverless.Orchestration.Http;

/// <summary>
/// Reads what a management request carries (route values, JSON bodies, query parameters, the
/// continuation header) and turns anything unusable into a <see cref="ManagementApiException"/>
/// that names the parameter and the value.
/// </summary>
internal static class ManagementRequest
{
    public const string ContinuationHeader = "x-ms-continuation-token";

    // Durable Functions accepts at most this page size in its list API; so do we.
    private const int MaxTop = 1000;

    private static readonly string[] s_dateFormats =
    [
        "yyyy-MM-dd", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
    ];

    private static readonly string s_statusNames = string.Join(", ",
        Enum.GetValues<OrchestrationStatus>().Where(s => s != OrchestrationStatus.Unknown));

    /// <summary>The instance id route value, validated by the engine's own rules.</summary>
    public static string InstanceId(HttpContext context)
    {
        var raw = context.Request.RouteValues["instanceId"] as string;

        // Kestrel decodes every escape in the path except %2F, so an encoded slash reaches routing as
        // the literal text "%2F"; it is a slash the client meant, and slashes are not allowed.
        var id = raw?.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
        if (InstanceIds.GetProblem(id) is { } problem)
        {
            throw new ManagementApiException(400, ManagementErrorCodes.InvalidInstanceId, $"Route value 'instanceId': {problem}.");
        }

        return id!;
    }

    /// <summary>
    /// The body as compact-checked JSON text, or null when the body is empty. Any JSON value is
    /// accepted (object, array, string, number, literal).
    /// </summary>
    public static async Task<string?> ReadJsonBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var text = await reader.ReadToEndAsync(cancellationToken);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        text = text.Trim();
        if (JsonText.GetProblem(text) is { } problem)
        {
            throw new ManagementApiException(400, ManagementErrorCodes.InvalidJson, $"The request body is not valid JSON: {problem}.");
        }

        return text;
    }

    /// <summary>
    /// A boolean query parameter: absent gives <paramref name="defaultValue"/>, present without a value
    /// (<c>?showHistory</c>) means true, otherwise <c>true</c> or <c>false</c> in any case.
    /// </summary>
    public static bool Bool(HttpRequest request, string name, bool defaultValue)
    {
        if (!request.Query.TryGetValue(name, out var values))
        {
            return defaultValue;
        }

        var value = values.ToString().Trim();
        if (value.Length == 0)
        {
            return true;
        }

        return bool.TryParse(value, out var result)
            ? result
            : throw ManagementApiException.BadParameter(name, $"'{value}' is not a boolean; use true or false.");
    }

    /// <summary>An ISO 8601 date or date-time query parameter, as UTC; null when absent.</summary>
    public static DateTime? Date(HttpRequest request, string name)
    {
        if (!request.Query.TryGetValue(name, out var values) || values.ToString().Trim() is not { Length: > 0 } value)
        {
            return null;
        }

        // An unescaped '+' in an offset arrives as a space after query decoding.
        foreach (var candidate in new[] { value, value.Replace(' ', '+') })
        {
            if (DateTimeOffset.TryParseExact(candidate, s_dateFormats, CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
            {
                return parsed.UtcDateTime;
            }
        }

        throw ManagementApiException.BadParameter(name,
            $"'{value}' is not an ISO 8601 date or date-time (for example 2026-01-31 or 2026-01-31T13:45:00Z).");
    }

    /// <summary>A positive integer query parameter no larger than the list API's page limit; null when absent.</summary>
    public static int? Top(HttpRequest request, string name)
    {
        if (!request.Query.TryGetValue(name, out var values) || values.ToString().Trim() is not { Length: > 0 } value)
        {
            return null;
        }

        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var top) || top is < 1 or > MaxTop)
        {
            throw ManagementApiException.BadParameter(name, $"'{value}' is not a whole number from 1 to {MaxTop}.");
        }

        return top;
    }

    /// <summary>
    /// The statuses in a comma-separated (or repeated) query parameter, by name in any case; null when
    /// absent. Numbers are refused because their meaning is not obvious to a reader of the URL.
    /// </summary>
    public static IReadOnlyCollection<OrchestrationStatus>? Statuses(HttpRequest request, string name)
    {
        if (!request.Query.TryGetValue(name, out var values))
        {
            return null;
        }

        var result = new HashSet<OrchestrationStatus>();
        foreach (var item in values.SelectMany(v => (v ?? string.Empty).Split(',')).Select(s => s.Trim()).Where(s => s.Length > 0))
        {
            if (!char.IsAsciiLetter(item[0]) || !Enum.TryParse<OrchestrationStatus>(item, ignoreCase: true, out var status) ||
                status == OrchestrationStatus.Unknown)
            {
                throw ManagementApiException.BadParameter(name, $"'{item}' is not a runtime status; use one or more of {s_statusNames}.");
            }

            result.Add(status);
        }

        return result.Count == 0 ? null : result;
    }

    /// <summary>A created-time range; refuses a start after the end.</summary>
    public static (DateTime? From, DateTime? To) CreatedRange(HttpRequest request)
    {
        var from = Date(request, "createdTimeFrom");
        var to = Date(request, "createdTimeTo");
        if (from is { } f && to is { } t && f > t)
        {
            throw ManagementApiException.BadParameter("createdTimeTo",
                $"{t:yyyy-MM-dd'T'HH:mm:ss'Z'} is before createdTimeFrom {f:yyyy-MM-dd'T'HH:mm:ss'Z'}.");
        }

        return (from, to);
    }

    /// <summary>A free-text query parameter such as <c>reason</c>; null when absent or empty.</summary>
    public static string? Text(HttpRequest request, string name) =>
        request.Query.TryGetValue(name, out var values) && values.ToString() is { Length: > 0 } text ? text : null;
}
