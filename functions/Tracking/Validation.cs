using Serverless.Tracking.Client;

namespace Serverless.Tracking;

/// <summary>MLflow's input rules (mlflow/utils/validation.py), checked before anything is stored.</summary>
internal static class Validation
{
    public const int MaxKeyLength = 250;
    public const int MaxParamValueLength = 6000;
    public const int MaxTagValueLength = 8000;
    public const int MaxNameLength = 500;
    public const int MaxSearchResults = 50_000;

    /// <summary>Metric, param and tag keys: word characters, <c>/ . - :</c> and spaces, no path tricks.</summary>
    public static void Key(string? key, string what)
    {
        if (string.IsNullOrEmpty(key))
        {
            throw TrackingException.Invalid($"Missing value for required parameter '{what}' (the key must be a non-empty string).");
        }

        if (key.Length > MaxKeyLength)
        {
            throw TrackingException.Invalid($"{what} '{key[..40]}…' is {key.Length} characters long; the limit is {MaxKeyLength}.");
        }

        foreach (var c in key)
        {
            if (!(char.IsLetterOrDigit(c) || c is '_' or '/' or '.' or '-' or ' ' or ':'))
            {
                throw TrackingException.Invalid(
                    $"Invalid {what} '{key}': names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colons (:) and slashes (/); found {Describe(c)}.");
            }
        }

        if (key.StartsWith('/') || key.Split('/').Any(segment => segment is "" or "." or ".."))
        {
            throw TrackingException.Invalid($"Invalid {what} '{key}': it must be a normalized relative path (no leading '/', '//', '.' or '..' segments).");
        }
    }

    public static void TagKey(string? key, string what)
    {
        if (string.IsNullOrEmpty(key))
        {
            throw TrackingException.Invalid($"Missing value for required parameter '{what}'.");
        }

        if (key.Length > MaxKeyLength)
        {
            throw TrackingException.Invalid($"{what} '{key[..40]}…' is {key.Length} characters long; the limit is {MaxKeyLength}.");
        }

        if (key.Any(char.IsControl))
        {
            throw TrackingException.Invalid($"Invalid {what} '{Printable(key)}': control characters are not allowed.");
        }
    }

    public static void Value(string? value, int max, string what, string key)
    {
        if (value is null)
        {
            throw TrackingException.Invalid($"Missing value for required parameter 'value' of {what} '{key}'.");
        }

        if (value.Length > max)
        {
            throw TrackingException.Invalid($"{what} '{key}' has a value of {value.Length} characters; the limit is {max}.");
        }
    }

    public static void Name(string? name, string what)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw TrackingException.Invalid($"Missing value for required parameter '{what}'.");
        }

        if (name.Length > MaxNameLength)
        {
            throw TrackingException.Invalid($"{what} is {name.Length} characters long; the limit is {MaxNameLength}.");
        }

        if (name.Any(char.IsControl))
        {
            throw TrackingException.Invalid($"Invalid {what} '{Printable(name)}': control characters are not allowed.");
        }
    }

    public static string Required(string? value, string field) =>
        string.IsNullOrEmpty(value) ? throw TrackingException.Invalid($"Missing value for required parameter '{field}'.") : value;

    public static void Batch(IReadOnlyList<Metric> metrics, IReadOnlyList<Param> parameters, IReadOnlyList<Tag> tags)
    {
        if (metrics.Count > MlflowClient.MaxMetricsPerBatch || parameters.Count > MlflowClient.MaxParamsPerBatch
            || tags.Count > MlflowClient.MaxTagsPerBatch || metrics.Count + parameters.Count + tags.Count > MlflowClient.MaxEntitiesPerBatch)
        {
            throw TrackingException.Invalid(
                $"A batch logging request can contain at most {MlflowClient.MaxMetricsPerBatch} metrics, {MlflowClient.MaxParamsPerBatch} params and {MlflowClient.MaxTagsPerBatch} tags, " +
                $"{MlflowClient.MaxEntitiesPerBatch} in total. Got {metrics.Count} metrics, {parameters.Count} params and {tags.Count} tags.");
        }

        for (var i = 0; i < metrics.Count; i++)
        {
            if (metrics[i] is null)
            {
                throw TrackingException.Invalid($"metrics[{i}] is null.");
            }

            Key(metrics[i].Key, $"metric name (metrics[{i}].key)");
        }

        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < parameters.Count; i++)
        {
            var p = parameters[i] ?? throw TrackingException.Invalid($"params[{i}] is null.");
            Key(p.Key, $"param name (params[{i}].key)");
            Value(p.Value, MaxParamValueLength, "param", p.Key);
            if (seen.TryGetValue(p.Key, out var other) && other != p.Value)
            {
                throw TrackingException.Invalid($"Duplicate parameter key '{p.Key}' with different values ('{other}' and '{p.Value}') in one request.");
            }

            seen[p.Key] = p.Value;
        }

        for (var i = 0; i < tags.Count; i++)
        {
            var t = tags[i] ?? throw TrackingException.Invalid($"tags[{i}] is null.");
            TagKey(t.Key, $"tag name (tags[{i}].key)");
            Value(t.Value, MaxTagValueLength, "tag", t.Key);
        }
    }

    public static int MaxResults(int? value, int fallback)
    {
        var n = value ?? fallback;
        if (n < 1 || n > MaxSearchResults)
        {
            throw TrackingException.Invalid($"Invalid value {n} for parameter 'max_results': it must be between 1 and {MaxSearchResults}.");
        }

        return n;
    }

    public static ViewType View(string? text) => (text ?? "ACTIVE_ONLY").ToUpperInvariant() switch
    {
        "ACTIVE_ONLY" or "1" => ViewType.ActiveOnly,
        "DELETED_ONLY" or "2" => ViewType.DeletedOnly,
        "ALL" or "3" => ViewType.All,
        _ => throw TrackingException.Invalid($"Invalid view type '{text}': use ACTIVE_ONLY, DELETED_ONLY or ALL."),
    };

    private static string Describe(char c) => char.IsControl(c) ? $"control character U+{(int)c:X4}" : $"'{c}'";

    private static string Printable(string s) => new(s.Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
