using Serverless.Tracking.Client;

namespace Serverless.Tracking.Mlflow;

// Request bodies of the registry endpoints (mlflow/protos/model_registry.proto).
internal sealed record CreateRegisteredModelRequest(string? Name = null, List<Tag>? Tags = null, string? Description = null);

internal sealed record NameRequest(string? Name = null);

internal sealed record RenameRegisteredModelRequest(string? Name = null, string? NewName = null);

internal sealed record UpdateRegisteredModelRequest(string? Name = null, string? Description = null);

internal sealed record ModelTagRequest(string? Name = null, string? Key = null, string? Value = null);

internal sealed record SearchRegistryRequest(string? Filter = null, int? MaxResults = null, List<string>? OrderBy = null, string? PageToken = null);

internal sealed record GetLatestVersionsRequest(string? Name = null, List<string>? Stages = null);

internal sealed record CreateModelVersionRequest(string? Name = null, string? Source = null, string? RunId = null, List<Tag>? Tags = null, string? RunLink = null, string? Description = null);

internal sealed record ModelVersionRequest(string? Name = null, string? Version = null);

internal sealed record UpdateModelVersionRequest(string? Name = null, string? Version = null, string? Description = null);

internal sealed record ModelVersionTagRequest(string? Name = null, string? Version = null, string? Key = null, string? Value = null);

internal sealed record TransitionStageRequest(string? Name = null, string? Version = null, string? Stage = null, bool? ArchiveExistingVersions = null);

internal sealed record AliasRequest(string? Name = null, string? Alias = null, string? Version = null);
