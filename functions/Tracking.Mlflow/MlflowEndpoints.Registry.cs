using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using static Serverless.Tracking.Mlflow.MlflowHttp;

namespace Serverless.Tracking.Mlflow;

public static partial class MlflowEndpoints
{
    private static void MapRegistry(RouteGroupBuilder g)
    {
        g.MapPost("registered-models/create", Handle<CreateRegisteredModelRequest>(async (r, c) =>
            new { RegisteredModel = await Registry(c).CreateRegisteredModelAsync(r.Name, r.Description, r.Tags, c.RequestAborted) }));
        g.MapGet("registered-models/get", Handle<NameRequest>(async (r, c) =>
            new { RegisteredModel = await Registry(c).GetRegisteredModelAsync(r.Name, c.RequestAborted) }));
        g.MapPost("registered-models/rename", Handle<RenameRegisteredModelRequest>(async (r, c) =>
            new { RegisteredModel = await Registry(c).RenameRegisteredModelAsync(r.Name, r.NewName, c.RequestAborted) }));
        g.MapPatch("registered-models/update", Handle<UpdateRegisteredModelRequest>(async (r, c) =>
            new { RegisteredModel = await Registry(c).UpdateRegisteredModelAsync(r.Name, r.Description, c.RequestAborted) }));
        g.MapDelete("registered-models/delete", Handle<NameRequest>(async (r, c) =>
        {
            await Registry(c).DeleteRegisteredModelAsync(r.Name, c.RequestAborted);
            return s_empty;
        }));
        g.MapPost("registered-models/set-tag", Handle<ModelTagRequest>(async (r, c) =>
        {
            await Registry(c).SetRegisteredModelTagAsync(r.Name, r.Key, r.Value, c.RequestAborted);
            return s_empty;
        }));
        g.MapDelete("registered-models/delete-tag", Handle<ModelTagRequest>(async (r, c) =>
        {
            await Registry(c).DeleteRegisteredModelTagAsync(r.Name, r.Key, c.RequestAborted);
            return s_empty;
        }));
        g.MapMethods("registered-models/search", ["GET", "POST"], Handle<SearchRegistryRequest>(async (r, c) =>
        {
            var page = await Registry(c).SearchRegisteredModelsAsync(r.Filter, r.MaxResults, r.OrderBy, r.PageToken, c.RequestAborted);
            return new { RegisteredModels = NullIfEmpty(page.Items), page.NextPageToken };
        }));
        g.MapMethods("registered-models/get-latest-versions", ["GET", "POST"], Handle<GetLatestVersionsRequest>(async (r, c) =>
            new { ModelVersions = NullIfEmpty(await Registry(c).GetLatestVersionsAsync(r.Name, r.Stages, c.RequestAborted)) }));
        g.MapPost("registered-models/alias", Handle<AliasRequest>(async (r, c) =>
        {
            await Registry(c).SetAliasAsync(r.Name, r.Alias, r.Version, c.RequestAborted);
            return s_empty;
        }));
        g.MapGet("registered-models/alias", Handle<AliasRequest>(async (r, c) =>
            new { ModelVersion = await Registry(c).GetVersionByAliasAsync(r.Name, r.Alias, c.RequestAborted) }));
        g.MapDelete("registered-models/alias", Handle<AliasRequest>(async (r, c) =>
        {
            await Registry(c).DeleteAliasAsync(r.Name, r.Alias, c.RequestAborted);
            return s_empty;
        }));

        g.MapPost("model-versions/create", Handle<CreateModelVersionRequest>(async (r, c) =>
            new { ModelVersion = await Registry(c).CreateModelVersionAsync(r.Name, r.Source, r.RunId, r.Tags, r.RunLink, r.Description, c.RequestAborted) }));
        g.MapGet("model-versions/get", Handle<ModelVersionRequest>(async (r, c) =>
            new { ModelVersion = await Registry(c).GetModelVersionAsync(r.Name, r.Version, c.RequestAborted) }));
        g.MapPatch("model-versions/update", Handle<UpdateModelVersionRequest>(async (r, c) =>
            new { ModelVersion = await Registry(c).UpdateModelVersionAsync(r.Name, r.Version, r.Description, c.RequestAborted) }));
        g.MapDelete("model-versions/delete", Handle<ModelVersionRequest>(async (r, c) =>
        {
            await Registry(c).DeleteModelVersionAsync(r.Name, r.Version, c.RequestAborted);
            return s_empty;
        }));
        g.MapPost("model-versions/set-tag", Handle<ModelVersionTagRequest>(async (r, c) =>
        {
            await Registry(c).SetModelVersionTagAsync(r.Name, r.Version, r.Key, r.Value, c.RequestAborted);
            return s_empty;
        }));
        g.MapDelete("model-versions/delete-tag", Handle<ModelVersionTagRequest>(async (r, c) =>
        {
            await Registry(c).DeleteModelVersionTagAsync(r.Name, r.Version, r.Key, c.RequestAborted);
            return s_empty;
        }));
        g.MapMethods("model-versions/search", ["GET", "POST"], Handle<SearchRegistryRequest>(async (r, c) =>
        {
            var page = await Registry(c).SearchModelVersionsAsync(r.Filter, r.MaxResults, r.OrderBy, r.PageToken, c.RequestAborted);
            return new { ModelVersions = NullIfEmpty(page.Items), page.NextPageToken };
        }));
        g.MapPost("model-versions/transition-stage", Handle<TransitionStageRequest>(async (r, c) =>
            new { ModelVersion = await Registry(c).TransitionStageAsync(r.Name, r.Version, r.Stage, r.ArchiveExistingVersions ?? false, c.RequestAborted) }));
        g.MapGet("model-versions/get-download-uri", Handle<ModelVersionRequest>(async (r, c) =>
            new { ArtifactUri = await Registry(c).GetDownloadUriAsync(r.Name, r.Version, c.RequestAborted) }));
    }
}
