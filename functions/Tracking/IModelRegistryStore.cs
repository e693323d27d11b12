using Serverless.Tracking.Client;

namespace Serverless.Tracking;

/// <summary>
/// Persistence of registered models, versions, tags, aliases and legacy stages. Validation and search
/// live in <see cref="ModelRegistryService"/>.
/// </summary>
public interface IModelRegistryStore
{
    /// <summary>Creates the table if missing.</summary>
    Task InitializeAsync(CancellationToken ct = default);

    /// <summary>Creates a model; RESOURCE_ALREADY_EXISTS when the name is taken.</summary>
    Task<RegisteredModel> CreateRegisteredModelAsync(string name, string? description, IReadOnlyList<Tag> tags, CancellationToken ct = default);

    /// <summary>Gets a model with its latest versions per stage and aliases.</summary>
    Task<RegisteredModel> GetRegisteredModelAsync(string name, CancellationToken ct = default);

    /// <summary>Renames a model; versions follow because they are keyed by an internal id.</summary>
    Task<RegisteredModel> RenameRegisteredModelAsync(string name, string newName, CancellationToken ct = default);

    /// <summary>Sets the description.</summary>
    Task<RegisteredModel> UpdateRegisteredModelAsync(string name, string? description, CancellationToken ct = default);

    /// <summary>Deletes a model and its versions.</summary>
    Task DeleteRegisteredModelAsync(string name, CancellationToken ct = default);

    /// <summary>Sets (or, with a null value, deletes) a model tag.</summary>
    Task SetRegisteredModelTagAsync(string name, string key, string? value, CancellationToken ct = default);

    /// <summary>Every model with its versions.</summary>
    Task<IReadOnlyList<RegisteredModel>> ListRegisteredModelsAsync(CancellationToken ct = default);

    /// <summary>Creates the next version (READY at once: the files are already in the artifact store).</summary>
    Task<ModelVersion> CreateModelVersionAsync(string name, string source, string? runId, IReadOnlyList<Tag> tags, string? runLink, string? description, CancellationToken ct = default);

    /// <summary>Gets a version.</summary>
    Task<ModelVersion> GetModelVersionAsync(string name, string version, CancellationToken ct = default);

    /// <summary>Sets a version's description.</summary>
    Task<ModelVersion> UpdateModelVersionAsync(string name, string version, string? description, CancellationToken ct = default);

    /// <summary>Deletes a version and any aliases pointing at it.</summary>
    Task DeleteModelVersionAsync(string name, string version, CancellationToken ct = default);

    /// <summary>Sets (or, with a null value, deletes) a version tag.</summary>
    Task SetModelVersionTagAsync(string name, string version, string key, string? value, CancellationToken ct = default);

    /// <summary>Moves a version to a stage, optionally archiving the versions already in it.</summary>
    Task<ModelVersion> TransitionStageAsync(string name, string version, string stage, bool archiveExisting, CancellationToken ct = default);

    /// <summary>Every version of every model (or of <paramref name="name"/> only).</summary>
    Task<IReadOnlyList<ModelVersion>> ListModelVersionsAsync(string? name, CancellationToken ct = default);

    /// <summary>Points an alias at a version.</summary>
    Task SetAliasAsync(string name, string alias, string version, CancellationToken ct = default);

    /// <summary>Removes an alias.</summary>
    Task DeleteAliasAsync(string name, string alias, CancellationToken ct = default);

    /// <summary>The version an alias points at.</summary>
    Task<ModelVersion> GetVersionByAliasAsync(string name, string alias, CancellationToken ct = default);
}
