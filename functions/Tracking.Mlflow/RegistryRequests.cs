using Serverless.Tracking.Client;

namespace Serverless.Tracking.Mlflow;

// Request bodies of the registry endpoints (mlflow/protos/model_registry.proto).
internal sealed record CreateRegisteredModelRequest(string? Name, List<Tag>? Tags, string? Description);

internal sealed record NameRequest(string? Name);

internal sealed record RenameRegisteredModelRequest(string? Name, string? NewName);

internal sealed record UpdateRegisteredModelRequest(string? Name, string? Description);

internal sealed record ModelTagRequest(string? Name, string? Key, string? Value);

internal sealed record SearchRegistryRequest(string? Filter, int? MaxResults, List<string>? OrderBy, string? PageToken);

internal sealed record GetLatestVersionsRequest(string? Name, List<string>? Stages);

internal sealed record CreateModelVersionRequest(string? Name, string? Source, string? RunId, List<Tag>? Tags, string? RunLink, string? Description);

internal sealed record ModelVersionRequest(string? Name, string? Version);

internal sealed record UpdateModelVersionRequest(string? Name, string? Version, string? Description);

internal sealed record ModelVersionTagRequest(string? Name, string? Version, string? Key, string? Value);

internal sealed record TransitionStageRequest(string? Name, string? Version, string? Stage, bool? ArchiveExistingVersions);

internal sealed record AliasRequest(string? Name, string? Alias, string? Version);
