using System.Globalization;
using System.Text.RegularExpressions;
using Serverless.Tracking.Client;
using Serverless.Tracking.Search;

namespace Serverless.Tracking;

/// <summary>
/// The in-process model registry API: MLflow's registry operations with its validation and search,
/// over an <see cref="IModelRegistryStore"/>.
/// </summary>
public sealed partial class ModelRegistryService
{
    private static readonly HashSet<string> s_modelNumeric = new(StringComparer.Ordinal) { "creation_timestamp", "last_updated_timestamp", "timestamp" };
    private static readonly HashSet<string> s_modelText = new(StringComparer.Ordinal) { "name" };
    private static readonly HashSet<string> s_versionNumeric = new(StringComparer.Ordinal) { "version_number", "creation_timestamp", "last_updated_timestamp", "timestamp" };
    private static readonly HashSet<string> s_versionText = new(StringComparer.Ordinal) { "name", "run_id", "source_path", "current_stage", "status" };
    private static readonly string[] s_stages = ["None", "Staging", "Production", "Archived"];
    private readonly IModelRegistryStore _store;

    /// <summary>Creates the service over <paramref name="store"/>.</summary>
    public ModelRegistryService(IModelRegistryStore store) => _store = store ?? throw new ArgumentNullException(nameof(store));

    /// <summary>Creates a registered model.</summary>
    public Task<RegisteredModel> CreateRegisteredModelAsync(string? name, string? description, IReadOnlyList<Tag>? tags, CancellationToken ct = default)
    {
        Validation.Name(name, "name");
        CheckTags(tags);
        return _store.CreateRegisteredModelAsync(name!, description, tags ?? [], ct);
    }

    /// <summary>Gets a registered model.</summary>
    public Task<RegisteredModel> GetRegisteredModelAsync(string? name, CancellationToken ct = default) =>
        _store.GetRegisteredModelAsync(Validation.Required(name, "name"), ct);

    /// <summary>Renames a registered model.</summary>
    public Task<RegisteredModel> RenameRegisteredModelAsync(string? name, string? newName, CancellationToken ct = default)
    {
        Validation.Name(newName, "new_name");
        return _store.RenameRegisteredModelAsync(Validation.Required(name, "name"), newName!, ct);
    }

    /// <summary>Sets a registered model's description.</summary>
    public Task<RegisteredModel> UpdateRegisteredModelAsync(string? name, string? description, CancellationToken ct = default) =>
        _store.UpdateRegisteredModelAsync(Validation.Required(name, "name"), description, ct);

    /// <summary>Deletes a registered model and its versions.</summary>
    public Task DeleteRegisteredModelAsync(string? name, CancellationToken ct = default) =>
        _store.DeleteRegisteredModelAsync(Validation.Required(name, "name"), ct);

    /// <summary>Sets a registered model tag.</summary>
    public Task SetRegisteredModelTagAsync(string? name, string? key, string? value, CancellationToken ct = default)
    {
        Validation.TagKey(key, "key");
        Validation.Value(value, Validation.MaxTagValueLength, "tag", key!);
        return _store.SetRegisteredModelTagAsync(Validation.Required(name, "name"), key!, value, ct);
    }

    /// <summary>Deletes a registered model tag.</summary>
    public Task DeleteRegisteredModelTagAsync(string? name, string? key, CancellationToken ct = default) =>
        _store.SetRegisteredModelTagAsync(Validation.Required(name, "name"), Validation.Required(key, "key"), null, ct);

    /// <summary>Searches registered models (<c>name</c>, <c>tags.</c>), ordered by name unless told otherwise.</summary>
    public async Task<MlflowPage<RegisteredModel>> SearchRegisteredModelsAsync(
        string? filter, int? maxResults, IReadOnlyList<string>? orderBy, string? pageToken, CancellationToken ct = default)
    {
        var parsed = SearchFilter.Parse(filter);
        parsed.Validate(s_modelNumeric, s_modelText, FilterEntityKind.Attribute, FilterEntityKind.Tag);
        var order = ParseOrder(orderBy, s_modelNumeric, s_modelText);
        var size = Validation.MaxResults(maxResults, 100);
        var offset = PageToken.Decode(pageToken);
        var models = (await _store.ListRegisteredModelsAsync(ct)).Where(m => parsed.Clauses.All(c => c.Kind == FilterEntityKind.Tag
            ? c.Matches(m.Tags?.FirstOrDefault(t => t.Key == c.Key)?.Value)
            : s_modelNumeric.Contains(c.Key) ? c.Matches(ModelNumber(m, c.Key)) : c.Matches(m.Name))).ToList();
        models.Sort((a, b) =>
        {
            foreach (var clause in order)
            {
                var c = s_modelNumeric.Contains(clause.Key) ? Nullable.Compare(ModelNumber(a, clause.Key), ModelNumber(b, clause.Key)) : string.CompareOrdinal(a.Name, b.Name);
                if (c != 0)
                {
                    return clause.Ascending ? c : -c;
                }
            }

            return string.CompareOrdinal(a.Name, b.Name);
        });
        return new(models.Skip(offset).Take(size).ToList(), PageToken.Next(offset, size, models.Count));
    }

    /// <summary>Creates a model version from artifacts at <paramref name="source"/>.</summary>
    public Task<ModelVersion> CreateModelVersionAsync(
        string? name, string? source, string? runId, IReadOnlyList<Tag>? tags, string? runLink, string? description, CancellationToken ct = default)
    {
        source = Validation.Required(source, "source");
        CheckTags(tags);
        if (source.Any(char.IsControl) || source.Contains("..", StringComparison.Ordinal))
        {
            throw TrackingException.Invalid($"Invalid model version source '{source}': it must not contain '..' or control characters.");
        }

        return _store.CreateModelVersionAsync(Validation.Required(name, "name"), source, runId, tags ?? [], runLink, description, ct);
    }

    /// <summary>Gets a model version.</summary>
    public Task<ModelVersion> GetModelVersionAsync(string? name, string? version, CancellationToken ct = default) =>
        _store.GetModelVersionAsync(Validation.Required(name, "name"), Validation.Required(version, "version"), ct);

    /// <summary>Sets a model version's description.</summary>
    public Task<ModelVersion> UpdateModelVersionAsync(string? name, string? version, string? description, CancellationToken ct = default) =>
        _store.UpdateModelVersionAsync(Validation.Required(name, "name"), Validation.Required(version, "version"), description, ct);

    /// <summary>Deletes a model version.</summary>
    public Task DeleteModelVersionAsync(string? name, string? version, CancellationToken ct = default) =>
        _store.DeleteModelVersionAsync(Validation.Required(name, "name"), Validation.Required(version, "version"), ct);

    /// <summary>Sets a model version tag.</summary>
    public Task SetModelVersionTagAsync(string? name, string? version, string? key, string? value, CancellationToken ct = default)
    {
        Validation.TagKey(key, "key");
        Validation.Value(value, Validation.MaxTagValueLength, "tag", key!);
        return _store.SetModelVersionTagAsync(Validation.Required(name, "name"), Validation.Required(version, "version"), key!, value, ct);
    }

    /// <summary>Deletes a model version tag.</summary>
    public Task DeleteModelVersionTagAsync(string? name, string? version, string? key, CancellationToken ct = default) =>
        _store.SetModelVersionTagAsync(Validation.Required(name, "name"), Validation.Required(version, "version"), Validation.Required(key, "key"), null, ct);

    /// <summary>Moves a version to a legacy stage.</summary>
    public Task<ModelVersion> TransitionStageAsync(string? name, string? version, string? stage, bool archiveExisting, CancellationToken ct = default) =>
        _store.TransitionStageAsync(Validation.Required(name, "name"), Validation.Required(version, "version"), CanonicalStage(stage), archiveExisting, ct);

    /// <summary>The latest version in each requested stage (all stages when none are given).</summary>
    public async Task<IReadOnlyList<ModelVersion>> GetLatestVersionsAsync(string? name, IReadOnlyList<string>? stages, CancellationToken ct = default)
    {
        var model = await _store.GetRegisteredModelAsync(Validation.Required(name, "name"), ct);
        var wanted = (stages is { Count: > 0 } ? stages.Select(CanonicalStage) : s_stages).ToHashSet(StringComparer.Ordinal);
        return (model.LatestVersions ?? []).Where(v => wanted.Contains(v.CurrentStage ?? "None")).ToList();
    }

    /// <summary>Searches model versions by name, run_id, source_path, version_number and tags.</summary>
    public async Task<MlflowPage<ModelVersion>> SearchModelVersionsAsync(
        string? filter, int? maxResults, IReadOnlyList<string>? orderBy, string? pageToken, CancellationToken ct = default)
    {
        var parsed = SearchFilter.Parse(filter);
        parsed.Validate(s_versionNumeric, s_versionText, FilterEntityKind.Attribute, FilterEntityKind.Tag);
        var order = ParseOrder(orderBy, s_versionNumeric, s_versionText);
        var size = Validation.MaxResults(maxResults, 10_000);
        var offset = PageToken.Decode(pageToken);

        // An exact name filter narrows the read to one model's rows.
        var byName = parsed.Clauses.FirstOrDefault(c => c.Kind == FilterEntityKind.Attribute && c.Key == "name" && c.Operator == FilterOperator.Equal)?.Text;
        var versions = (await _store.ListModelVersionsAsync(byName, ct)).Where(v => parsed.Clauses.All(c => c.Kind == FilterEntityKind.Tag
            ? c.Matches(v.Tags?.FirstOrDefault(t => t.Key == c.Key)?.Value)
            : s_versionNumeric.Contains(c.Key) ? c.Matches(VersionNumber(v, c.Key)) : c.Matches(VersionText(v, c.Key)))).ToList();
        versions.Sort((a, b) =>
        {
            foreach (var clause in order)
            {
                var c = s_versionNumeric.Contains(clause.Key)
                    ? Nullable.Compare(VersionNumber(a, clause.Key), VersionNumber(b, clause.Key))
                    : string.CompareOrdinal(VersionText(a, clause.Key), VersionText(b, clause.Key));
                if (c != 0)
                {
                    return clause.Ascending ? c : -c;
                }
            }

            var byName = string.CompareOrdinal(a.Name, b.Name);
            return byName != 0 ? byName : Nullable.Compare(VersionNumber(b, "version_number"), VersionNumber(a, "version_number"));
        });
        return new(versions.Skip(offset).Take(size).ToList(), PageToken.Next(offset, size, versions.Count));
    }

    /// <summary>Where a version's files can be downloaded from (its source).</summary>
    public async Task<string> GetDownloadUriAsync(string? name, string? version, CancellationToken ct = default) =>
        (await GetModelVersionAsync(name, version, ct)).Source ?? "";

    /// <summary>Points an alias at a version.</summary>
    public Task SetAliasAsync(string? name, string? alias, string? version, CancellationToken ct = default)
    {
        CheckAlias(alias);
        return _store.SetAliasAsync(Validation.Required(name, "name"), alias!, Validation.Required(version, "version"), ct);
    }

    /// <summary>Removes an alias.</summary>
    public Task DeleteAliasAsync(string? name, string? alias, CancellationToken ct = default) =>
        _store.DeleteAliasAsync(Validation.Required(name, "name"), Validation.Required(alias, "alias"), ct);

    /// <summary>The version an alias points at.</summary>
    public Task<ModelVersion> GetVersionByAliasAsync(string? name, string? alias, CancellationToken ct = default) =>
        _store.GetVersionByAliasAsync(Validation.Required(name, "name"), Validation.Required(alias, "alias"), ct);

    private static void CheckTags(IReadOnlyList<Tag>? tags)
    {
        foreach (var tag in tags ?? [])
        {
            Validation.TagKey(tag?.Key, "tag key");
            Validation.Value(tag!.Value, Validation.MaxTagValueLength, "tag", tag.Key);
        }
    }

    private static void CheckAlias(string? alias)
    {
        Validation.Required(alias, "alias");
        if (alias!.Length > 255 || !AliasPattern().IsMatch(alias))
        {
            throw TrackingException.Invalid($"Invalid alias '{alias}': use letters, digits, '_' and '-', at most 255 characters.");
        }

        if (alias.Equals("latest", StringComparison.OrdinalIgnoreCase) || VersionAliasPattern().IsMatch(alias))
        {
            throw TrackingException.Invalid($"Invalid alias '{alias}': 'latest' and 'v<number>' are reserved.");
        }
    }

    private static string CanonicalStage(string? stage) =>
        s_stages.FirstOrDefault(s => s.Equals(stage, StringComparison.OrdinalIgnoreCase))
        ?? throw TrackingException.Invalid($"Invalid stage '{stage}': use None, Staging, Production or Archived.");

    private static List<OrderByClause> ParseOrder(IReadOnlyList<string>? orderBy, HashSet<string> numeric, HashSet<string> text)
    {
        var order = (orderBy ?? []).Select(OrderByClause.Parse).ToList();
        foreach (var clause in order)
        {
            if (clause.Kind != FilterEntityKind.Attribute || !(numeric.Contains(clause.Key) || text.Contains(clause.Key)))
            {
                throw TrackingException.Invalid(
                    $"Invalid order_by '{clause.Key}': use one of {string.Join(", ", numeric.Concat(text).Order(StringComparer.Ordinal))}.");
            }
        }

        return order;
    }

    private static double? ModelNumber(RegisteredModel m, string key) =>
        key == "creation_timestamp" ? m.CreationTimestamp : m.LastUpdatedTimestamp;

    private static double? VersionNumber(ModelVersion v, string key) => key switch
    {
        "version_number" => double.Parse(v.Version, CultureInfo.InvariantCulture),
        "creation_timestamp" => v.CreationTimestamp,
        _ => v.LastUpdatedTimestamp,
    };

    private static string? VersionText(ModelVersion v, string key) => key switch
    {
        "name" => v.Name,
        "run_id" => v.RunId,
        "source_path" => v.Source,
        "current_stage" => v.CurrentStage,
        _ => v.Status,
    };

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex AliasPattern();

    [GeneratedRegex("^[vV][0-9]+$")]
    private static partial Regex VersionAliasPattern();
}
