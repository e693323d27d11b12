using System.Globalization;
using System.Text.RegularExpressions;
using Serverless.Pipelines.Definition;
using Serverless.Schedules.Calculation;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Serverless.Schedules.Definition;

/// <summary>
/// Gives the pipeline's <c>schedules:</c> list its meaning: reads each entry into a
/// <see cref="ScheduleDefinition"/> and reports every problem with file, line and column, in the same
/// <see cref="PipelineDiagnostic"/> form as the pipeline parser.
/// </summary>
public static partial class ScheduleParser
{
    private static readonly string[] s_keys = ["name", "cron", "time_zone", "parameters", "overlap", "catch_up", "start", "end", "paused", "description"];
    private static readonly string[] s_catchUpKeys = ["policy", "window"];

    /// <summary>
    /// Reads the schedules of a pipeline file. The YAML is read again here (rather than from
    /// <see cref="PipelineDefinition.Schedules"/>) because only the source text carries line and column.
    /// </summary>
    /// <param name="yaml">The pipeline file's text.</param>
    /// <param name="file">The file name used in messages.</param>
    /// <param name="pipeline">The parsed pipeline, whose parameters type the schedules' parameters.</param>
    public static ScheduleParseResult Parse(string yaml, string file, PipelineDefinition pipeline)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(pipeline);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException)
        {
            // The pipeline parser reports malformed YAML (with its position); saying it twice helps nobody.
            return new ScheduleParseResult([], []);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root ||
            !root.Children.TryGetValue(new YamlScalarNode("schedules"), out var node) || node is not YamlSequenceNode list)
        {
            return new ScheduleParseResult([], []);
        }

        return ParseList(list, file, pipeline);
    }

    private static ScheduleParseResult ParseList(YamlSequenceNode list, string file, PipelineDefinition pipeline)
    {
        var diagnostics = new List<PipelineDiagnostic>();
        var schedules = new List<ScheduleDefinition>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in list.Children)
        {
            var reader = new Reader(file, diagnostics);
            if (item is not YamlMappingNode map)
            {
                reader.Error(item, $"each schedule must be a mapping (name, cron, ...), but found {Kind(item)}");
                continue;
            }

            if (ReadSchedule(map, reader, pipeline) is { } schedule)
            {
                if (!names.Add(schedule.Name))
                {
                    reader.Error(map, $"duplicate schedule '{schedule.Name}'");
                    continue;
                }

                schedules.Add(schedule);
            }
        }

        return new ScheduleParseResult(diagnostics.Count == 0 ? schedules : [], diagnostics);
    }

    private static ScheduleDefinition? ReadSchedule(YamlMappingNode map, Reader r, PipelineDefinition pipeline)
    {
        var before = r.Count;
        foreach (var key in map.Children.Keys)
        {
            var k = (key as YamlScalarNode)?.Value ?? string.Empty;
            if (!s_keys.Contains(k, StringComparer.Ordinal))
            {
                r.Error(key, $"unknown key '{k}' in a schedule; allowed: {string.Join(", ", s_keys)}");
            }
        }

        var name = r.RequiredString(map, "name", "the schedule");
        var what = name is null ? "the schedule" : $"schedule '{name}'";
        if (name is not null && !NameRegex().IsMatch(name))
        {
            r.Error(Reader.Get(map, "name")!, $"{what}: name must be letters, digits, '_' and '-', starting with a letter (at most 40)");
        }

        var cron = r.RequiredString(map, "cron", what);
        var timeZone = r.OptionalString(map, "time_zone", what) ?? "UTC";
        if (cron is not null && !CronSchedule.TryParseExpression(cron, out _, out var cronError))
        {
            r.Error(Reader.Get(map, "cron")!, $"{what}: {cronError}");
        }

        if (!CronSchedule.TryFindZone(timeZone, out var zone, out var zoneError))
        {
            r.Error(Reader.Get(map, "time_zone") ?? map, $"{what}: {zoneError}");
        }

        var overlap = OverlapPolicy.Skip;
        if (r.OptionalString(map, "overlap", what) is { } overlapText)
        {
            overlap = overlapText switch
            {
                "skip" => OverlapPolicy.Skip,
                "queue" => OverlapPolicy.Queue,
                "cancel-previous" or "cancel_previous" => OverlapPolicy.CancelPrevious,
                _ => Fail(r, Reader.Get(map, "overlap")!, $"{what}: overlap must be skip, queue or cancel-previous, but is '{overlapText}'", OverlapPolicy.Skip),
            };
        }

        var catchUp = ReadCatchUp(Reader.Get(map, "catch_up"), r, what);
        var start = ReadInstant(map, "start", r, what, zone);
        var end = ReadInstant(map, "end", r, what, zone);
        if (start is { } s && end is { } e && e <= s)
        {
            r.Error(Reader.Get(map, "end")!, $"{what}: end ({e:O}) must be after start ({s:O})");
        }

        var paused = false;
        if (Reader.Get(map, "paused") is { } pausedNode)
        {
            paused = r.Bool(pausedNode, $"{what}: paused") ?? false;
        }

        var parameters = ReadParameters(Reader.Get(map, "parameters"), r, what, pipeline);
        if (r.Count != before || name is null || cron is null)
        {
            return null;
        }

        return new ScheduleDefinition
        {
            Name = name,
            Cron = cron,
            TimeZone = timeZone,
            Parameters = parameters,
            Overlap = overlap,
            CatchUp = catchUp,
            Start = start,
            End = end,
            Paused = paused,
            Mark = r.Mark(map),
        };
    }

    private static CatchUpPolicy ReadCatchUp(YamlNode? node, Reader r, string what)
    {
        switch (node)
        {
            case null:
                return CatchUpPolicy.None;
            case YamlScalarNode scalar:
                return scalar.Value switch
                {
                    "none" => CatchUpPolicy.None,
                    "latest" => new CatchUpPolicy(CatchUpMode.Latest),
                    "all" => new CatchUpPolicy(CatchUpMode.All),
                    _ => Fail(r, node, $"{what}: catch_up must be none, latest, all or {{policy: all, window: 6h}}, but is '{scalar.Value}'", CatchUpPolicy.None),
                };
            case YamlMappingNode map:
                foreach (var key in map.Children.Keys)
                {
                    var k = (key as YamlScalarNode)?.Value ?? string.Empty;
                    if (!s_catchUpKeys.Contains(k, StringComparer.Ordinal))
                    {
                        r.Error(key, $"{what}: unknown key '{k}' in catch_up; allowed: policy, window");
                    }
                }

                var mode = CatchUpMode.None;
                switch (r.RequiredString(map, "policy", $"{what}: catch_up"))
                {
                    case "none": mode = CatchUpMode.None; break;
                    case "latest": mode = CatchUpMode.Latest; break;
                    case "all": mode = CatchUpMode.All; break;
                    case null: break;
                    case var other: r.Error(Reader.Get(map, "policy")!, $"{what}: catch_up.policy must be none, latest or all, but is '{other}'"); break;
                }

                TimeSpan? window = null;
                if (Reader.Get(map, "window") is { } windowNode)
                {
                    var text = (windowNode as YamlScalarNode)?.Value;
                    window = DurationText.Parse(text);
                    if (window is null || window <= TimeSpan.Zero)
                    {
                        r.Error(windowNode, $"{what}: catch_up.window must be a positive duration such as 30m, 6h or 2d, but is '{text}'");
                    }
                    else if (mode != CatchUpMode.All)
                    {
                        r.Error(windowNode, $"{what}: catch_up.window applies only to policy 'all'");
                    }
                }

                return new CatchUpPolicy(mode, window);
            default:
                r.Error(node, $"{what}: catch_up must be a word or a mapping, but found {Kind(node)}");
                return CatchUpPolicy.None;
        }
    }

    private static DateTimeOffset? ReadInstant(YamlMappingNode map, string key, Reader r, string what, TimeZoneInfo? zone)
    {
        if (Reader.Get(map, key) is not { } node)
        {
            return null;
        }

        var text = (node as YamlScalarNode)?.Value;
        if (text is null)
        {
            r.Error(node, $"{what}: {key} must be a date or date-time, but found {Kind(node)}");
            return null;
        }

        // With an offset (or Z) the instant is absolute; without one it is a wall-clock time in the schedule's zone.
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var withOffset) && HasOffset(text))
        {
            return withOffset.ToUniversalTime();
        }

        if (DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            var tz = zone ?? TimeZoneInfo.Utc;
            var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
            var offset = tz.IsInvalidTime(unspecified) ? tz.GetUtcOffset(unspecified.AddHours(1)) : tz.GetUtcOffset(unspecified);
            return new DateTimeOffset(unspecified, offset).ToUniversalTime();
        }

        r.Error(node, $"{what}: {key} must be an ISO 8601 date or date-time (e.g. 2026-01-31 or 2026-01-31T02:00:00Z), but is '{text}'");
        return null;
    }

    private static bool HasOffset(string text) =>
        text.EndsWith('Z') || text.EndsWith('z') || OffsetRegex().IsMatch(text);

    private static Dictionary<string, PipelineValue> ReadParameters(YamlNode? node, Reader r, string what, PipelineDefinition pipeline)
    {
        var result = new Dictionary<string, PipelineValue>(StringComparer.Ordinal);
        if (node is null)
        {
            return result;
        }

        if (node is not YamlMappingNode map)
        {
            r.Error(node, $"{what}: parameters must be a mapping of parameter names to values, but found {Kind(node)}");
            return result;
        }

        foreach (var (keyNode, valueNode) in map.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? string.Empty;
            if (pipeline.FindParameter(key) is not { } declared)
            {
                var known = pipeline.Parameters.Count == 0 ? "the pipeline declares none" : "declared: " + string.Join(", ", pipeline.Parameters.Select(p => p.Name));
                r.Error(keyNode, $"{what}: unknown parameter '{key}'; {known}");
                continue;
            }

            if (ToValue(valueNode, declared.Type) is { } value)
            {
                result[key] = value;
            }
            else
            {
                r.Error(valueNode, $"{what}: parameter '{key}' is declared {declared.Type.ToString().ToLowerInvariant()}, but the value is {Describe(valueNode)}");
            }
        }

        return result;
    }

    private static PipelineValue? ToValue(YamlNode node, PipelineType type)
    {
        switch (node)
        {
            case YamlScalarNode scalar when type == PipelineType.String:
                return scalar.Value is null ? null : PipelineValue.FromString(scalar.Value);
            case YamlScalarNode scalar when scalar.Value is not null && scalar.Style is ScalarStyle.Plain or ScalarStyle.Any:
                return PipelineValue.Parse(scalar.Value, type)?.CoerceTo(type);
            case YamlSequenceNode seq when type == PipelineType.List:
                var items = new List<PipelineValue>();
                foreach (var child in seq.Children)
                {
                    if (child is not YamlScalarNode s || s.Value is null)
                    {
                        return null;
                    }

                    var item = s.Style is ScalarStyle.Plain or ScalarStyle.Any
                        ? PipelineValue.Parse(s.Value, PipelineType.Int) ?? PipelineValue.Parse(s.Value, PipelineType.Number) ?? PipelineValue.Parse(s.Value, PipelineType.Bool) ?? PipelineValue.FromString(s.Value)
                        : PipelineValue.FromString(s.Value);
                    items.Add(item);
                }

                return PipelineValue.FromList(items);
            default:
                return null;
        }
    }

    private static string Describe(YamlNode node) => node switch
    {
        YamlScalarNode s => $"'{s.Value}'",
        _ => Kind(node),
    };

    private static string Kind(YamlNode node) => node switch
    {
        YamlScalarNode => "a scalar",
        YamlSequenceNode => "a list",
        YamlMappingNode => "a mapping",
        _ => "something else",
    };

    private static T Fail<T>(Reader r, YamlNode node, string message, T fallback)
    {
        r.Error(node, message);
        return fallback;
    }

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_-]{0,39}$")]
    private static partial Regex NameRegex();

    [GeneratedRegex(@"[+-]\d{2}:?\d{2}$")]
    private static partial Regex OffsetRegex();

    /// <summary>Collects diagnostics at YamlDotNet node positions.</summary>
    private sealed class Reader(string file, List<PipelineDiagnostic> diagnostics)
    {
        public int Count => diagnostics.Count;

        public SourceMark Mark(YamlNode node) => new(file, (int)node.Start.Line, (int)node.Start.Column);

        public void Error(YamlNode node, string message) => diagnostics.Add(new PipelineDiagnostic(Mark(node), message));

        public static YamlNode? Get(YamlMappingNode map, string key) =>
            map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

        public string? OptionalString(YamlMappingNode map, string key, string what)
        {
            if (Get(map, key) is not { } node)
            {
                return null;
            }

            if (node is YamlScalarNode { Value: { Length: > 0 } value })
            {
                return value;
            }

            Error(node, $"{what}: {key} must be a non-empty text, but found {Kind(node)}");
            return null;
        }

        public string? RequiredString(YamlMappingNode map, string key, string what)
        {
            if (Get(map, key) is null)
            {
                Error(map, $"{what} has no '{key}'");
                return null;
            }

            return OptionalString(map, key, what);
        }

        public bool? Bool(YamlNode node, string what)
        {
            if (node is YamlScalarNode { Value: { } v } && v.ToLowerInvariant() is "true" or "false")
            {
                return v.Equals("true", StringComparison.OrdinalIgnoreCase);
            }

            Error(node, $"{what} must be true or false, but is {Describe(node)}");
            return null;
        }
    }
}
