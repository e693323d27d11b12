using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Serverless.Schedules.Definition;

/// <summary>Durations as the YAML writes them: <c>90s</c>, <c>30m</c>, <c>6h</c>, <c>1h30m</c>, <c>2d</c>.</summary>
public static partial class DurationText
{
    /// <summary>Parses a duration, or returns null when the text is not one.</summary>
    public static TimeSpan? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var match = DurationRegex().Match(text.Trim());
        if (!match.Success)
        {
            return null;
        }

        var total = TimeSpan.Zero;
        foreach (Capture capture in match.Groups["part"].Captures)
        {
            var part = PartRegex().Match(capture.Value);
            var amount = double.Parse(part.Groups["n"].Value, CultureInfo.InvariantCulture);
            total += part.Groups["u"].Value switch
            {
                "d" => TimeSpan.FromDays(amount),
                "h" => TimeSpan.FromHours(amount),
                "m" => TimeSpan.FromMinutes(amount),
                _ => TimeSpan.FromSeconds(amount),
            };
        }

        return total;
    }

    /// <summary>Formats a duration the way <see cref="Parse"/> reads it, e.g. <c>1h30m</c>.</summary>
    public static string Format(TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            return "0s";
        }

        var text = new StringBuilder();
        if (value.Days > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{value.Days}d");
        }

        if (value.Hours > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{value.Hours}h");
        }

        if (value.Minutes > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{value.Minutes}m");
        }

        if (value.Seconds > 0 || text.Length == 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{value.Seconds}s");
        }

        return text.ToString();
    }

    [GeneratedRegex(@"^(?<part>\d+(\.\d+)?[dhms])+$")]
    private static partial Regex DurationRegex();

    [GeneratedRegex(@"^(?<n>\d+(\.\d+)?)(?<u>[dhms])$")]
    private static partial Regex PartRegex();
}
