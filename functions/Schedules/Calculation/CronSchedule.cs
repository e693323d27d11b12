using Cronos;

namespace Serverless.Schedules.Calculation;

/// <summary>A parsed cron expression in a time zone: the one place that knows Cronos.</summary>
public sealed class CronSchedule
{
    private readonly CronExpression _expression;

    private CronSchedule(CronExpression expression, TimeZoneInfo zone)
    {
        _expression = expression;
        Zone = zone;
    }

    /// <summary>The time zone occurrences are computed in.</summary>
    public TimeZoneInfo Zone { get; }

    /// <summary>
    /// Parses a six-field (seconds first, like Azure Functions timers) or five-field cron expression and an
    /// IANA time zone id.
    /// </summary>
    /// <exception cref="FormatException">The expression or the time zone is invalid; the message says which and why.</exception>
    public static CronSchedule Parse(string cron, string timeZone)
    {
        if (TryParse(cron, timeZone, out var schedule, out var error))
        {
            return schedule;
        }

        throw new FormatException(error);
    }

    /// <summary>Parses like <see cref="Parse"/>, returning the problem instead of throwing.</summary>
    public static bool TryParse(string cron, string timeZone, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CronSchedule? schedule, out string? error)
    {
        schedule = null;
        if (!TryParseExpression(cron, out var expression, out error))
        {
            return false;
        }

        if (!TryFindZone(timeZone, out var zone, out error))
        {
            return false;
        }

        schedule = new CronSchedule(expression, zone);
        return true;
    }

    /// <summary>Checks a cron expression alone.</summary>
    public static bool TryParseExpression(string cron, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CronExpression? expression, out string? error)
    {
        expression = null;
        var fields = (cron ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (fields.Length is not (5 or 6))
        {
            error = $"cron expression '{cron}' has {fields.Length} field(s); expected 6 ({{second}} {{minute}} {{hour}} {{day}} {{month}} {{day-of-week}}) or 5 (without seconds)";
            return false;
        }

        try
        {
            expression = CronExpression.Parse(string.Join(' ', fields), fields.Length == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
            error = null;
            return true;
        }
        catch (CronFormatException ex)
        {
            error = $"cron expression '{cron}' is invalid: {ex.Message}";
            return false;
        }
    }

    /// <summary>Finds a time zone by IANA id (Windows ids are accepted too where the platform maps them).</summary>
    public static bool TryFindZone(string timeZone, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out TimeZoneInfo? zone, out string? error)
    {
        zone = null;
        if (string.IsNullOrWhiteSpace(timeZone))
        {
            error = "time zone is empty; use an IANA id such as 'Europe/Berlin' or 'UTC'";
            return false;
        }

        if (TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out zone))
        {
            error = null;
            return true;
        }

        error = $"unknown time zone '{timeZone}'; use an IANA id such as 'Europe/Berlin' or 'UTC'";
        return false;
    }

    /// <summary>The first occurrence strictly after <paramref name="afterUtc"/>, or null when there is none.</summary>
    public DateTime? Next(DateTime afterUtc) =>
        _expression.GetNextOccurrence(DateTime.SpecifyKind(afterUtc, DateTimeKind.Utc), Zone, inclusive: false);

    /// <summary>Occurrences in (<paramref name="fromUtc"/>, <paramref name="toUtc"/>], in order.</summary>
    public IEnumerable<DateTime> Between(DateTime fromUtc, DateTime toUtc) =>
        fromUtc >= toUtc
            ? []
            : _expression.GetOccurrences(
                DateTime.SpecifyKind(fromUtc, DateTimeKind.Utc), DateTime.SpecifyKind(toUtc, DateTimeKind.Utc), Zone,
                fromInclusive: false, toInclusive: true);
}
