using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using Serverless.Tracking.Client;

namespace Serverless.Tracking;

/// <summary>Row layout of the registry table (one partition): model rows and version rows.</summary>
internal static class RegistryRows
{
    public const string Partition = "r";
    public const string ModelPrefix = "m_";
    public const string VersionPrefix = "v_";

    public static string ModelKey(string name) => ModelPrefix + KeyEncoding.Encode(name);

    public static string VersionKey(string modelId, long version) => $"{VersionPrefix}{modelId}_{version.ToString("D10", CultureInfo.InvariantCulture)}";

    public static string VersionRangeStart(string modelId) => $"{VersionPrefix}{modelId}_";

    public static string VersionRangeEnd(string modelId) => $"{VersionPrefix}{modelId}`";

    public static Dictionary<string, string> ReadMap(TableEntity entity, string column) =>
        ChunkedColumn.Read(entity, column) is { Length: > 0 } json
            ? new(JsonSerializer.Deserialize<Dictionary<string, string>>(json, MlflowJson.Options) ?? [], StringComparer.Ordinal)
            : new(StringComparer.Ordinal);

    public static void WriteMap(TableEntity entity, string column, Dictionary<string, string> map) =>
        ChunkedColumn.Write(entity, column, JsonSerializer.Serialize(map, MlflowJson.Options));

    public static ModelVersion ToVersion(TableEntity version, TableEntity model)
    {
        var number = (version.GetInt64("Version") ?? 0).ToString(CultureInfo.InvariantCulture);
        var tags = ReadMap(version, "Tags");
        var aliases = ReadMap(model, "Aliases").Where(a => a.Value == number).Select(a => a.Key).Order(StringComparer.Ordinal).ToList();
        return new ModelVersion
        {
            Name = model.GetString("Name")!,
            Version = number,
            CreationTimestamp = version.GetInt64("CreationTimestamp"),
            LastUpdatedTimestamp = version.GetInt64("LastUpdatedTimestamp"),
            UserId = version.GetString("UserId"),
            CurrentStage = version.GetString("Stage") ?? "None",
            Description = NullIfEmpty(version.GetString("Description")),
            Source = version.GetString("Source"),
            RunId = NullIfEmpty(version.GetString("RunId")),
            Status = version.GetString("Status") ?? "READY",
            Tags = tags.Count == 0 ? null : tags.Select(t => new Tag(t.Key, t.Value)).ToList(),
            RunLink = NullIfEmpty(version.GetString("RunLink")),
            Aliases = aliases.Count == 0 ? null : aliases,
        };
    }

    public static RegisteredModel ToModel(TableEntity model, IEnumerable<TableEntity> versions)
    {
        var all = versions.Select(v => ToVersion(v, model)).ToList();
        var latest = all.GroupBy(v => v.CurrentStage)
            .Select(g => g.MaxBy(v => long.Parse(v.Version, CultureInfo.InvariantCulture))!)
            .OrderBy(v => long.Parse(v.Version, CultureInfo.InvariantCulture))
            .ToList();
        var tags = ReadMap(model, "Tags");
        var aliases = ReadMap(model, "Aliases");
        return new RegisteredModel
        {
            Name = model.GetString("Name")!,
            CreationTimestamp = model.GetInt64("CreationTimestamp"),
            LastUpdatedTimestamp = model.GetInt64("LastUpdatedTimestamp"),
            Description = NullIfEmpty(model.GetString("Description")),
            LatestVersions = latest.Count == 0 ? null : latest,
            Tags = tags.Count == 0 ? null : tags.Select(t => new Tag(t.Key, t.Value)).ToList(),
            Aliases = aliases.Count == 0 ? null : aliases.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => new RegisteredModelAlias(a.Key, a.Value)).ToList(),
        };
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
