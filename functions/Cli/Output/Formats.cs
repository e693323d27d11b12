using System.Globalization;

namespace Serverless.Cli.Output;

/// <summary>How times, durations and numbers print in tables (JSON keeps the server's raw values).</summary>
internal static class Formats
{
    /// <summary>A timestamp as <c>yyyy-MM-dd HH:mm:ss</c> UTC, or empty.</summary>
    public static string Time(DateTimeOffset? value) =>
        value is { } v ? v.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : string.Empty;

    /// <summary>Milliseconds since the epoch (MLflow's unit) as a timestamp, or empty.</summary>
    public static string EpochMilliseconds(long? value) =>
        value is { } v and > 0 ? Time(DateTimeOffset.FromUnixTimeMilliseconds(v)) : string.Empty;

    /// <summary>A duration in seconds as <c>850ms</c>, <c>42.1s</c>, <c>3m 05s</c> or <c>2h 01m</c>.</summary>
    public static string Duration(double? seconds)
    {
        if (seconds is not { } s || double.IsNaN(s) || s < 0)
        {
            return string.Empty;
        }

        if (s < 1)
        {
            return $"{Math.Round(s * 1000).ToString(CultureInfo.InvariantCulture)}ms";
        }

        if (s < 60)
        {
            return $"{s.ToString("0.0", CultureInfo.InvariantCulture)}s";
        }

        var t = TimeSpan.FromSeconds(Math.Floor(s));
        return t.TotalHours >= 1
            ? $"{(int)t.TotalHours}h {t.Minutes:00}m"
            : $"{t.Minutes}m {t.Seconds:00}s";
    }

    /// <summary>A metric value: up to 6 significant digits, invariant culture.</summary>
    public static string Number(double? value) =>
        value is { } v ? v.ToString("G6", CultureInfo.InvariantCulture) : string.Empty;
}
